package org.fmfstream.jobs.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where Kafka is and how to talk to it: the bootstrap servers plus any client properties the plant
 * needs (security.protocol, sasl.*, ssl.*), passed through untouched to every client we create.
 */
public record KafkaSettings(String bootstrapServers, Properties extra) {

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given, e.g. 127.0.0.1:9092");
        }
        Properties copy = new Properties();
        if (extra != null) {
            copy.putAll(extra);
        }
        extra = copy;
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, new Properties());
    }

    /** Bootstrap servers plus client properties read from a .properties file (may be null). */
    public static KafkaSettings of(String bootstrapServers, Path propertiesFile) throws IOException {
        Properties extra = new Properties();
        if (propertiesFile != null) {
            try (Reader in = Files.newBufferedReader(propertiesFile)) {
                extra.load(in);
            }
        }
        return new KafkaSettings(bootstrapServers, extra);
    }

    /** Client properties: bootstrap, the pass-through extras, then the caller's own settings. */
    public Properties clientProperties(Map<String, Object> own) {
        Properties p = new Properties();
        p.putAll(extra);
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(own);
        return p;
    }
}
