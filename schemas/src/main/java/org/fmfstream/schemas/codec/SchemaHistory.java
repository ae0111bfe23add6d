package org.fmfstream.schemas.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * The schema store behind single-object decoding: every writer schema a topic may still hold.
 *
 * <p>Current schemas are known to their decoders already. When a contract changes, the old
 * {@code .avsc} is copied to {@code src/main/resources/fmf/schema-history/} and named in that
 * folder's {@code index.txt}; records written before the change then still decode (Avro schema
 * resolution maps them onto the new reader schema). A historical topic stays readable for as long
 * as its writer schemas stay listed here.
 */
public final class SchemaHistory {
    static final String INDEX = "/fmf/schema-history/index.txt";

    private SchemaHistory() {}

    /** A store with every historical schema listed in the classpath index. */
    public static SchemaStore.Cache load() {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        for (Schema schema : historicalSchemas()) {
            cache.addSchema(schema);
        }
        return cache;
    }

    /** Historical writer schemas named in the classpath index, in index order. */
    public static List<Schema> historicalSchemas() {
        List<Schema> schemas = new ArrayList<>();
        try (InputStream index = SchemaHistory.class.getResourceAsStream(INDEX)) {
            if (index == null) {
                return schemas;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                schemas.add(parse("/fmf/schema-history/" + line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INDEX, e);
        }
        return schemas;
    }

    private static Schema parse(String resource) throws IOException {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("schema history lists " + resource + " but it is not on the classpath");
            }
            return new Schema.Parser().parse(in);
        }
    }

    /** The 64-bit CRC-64-AVRO fingerprint used in single-object headers. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
