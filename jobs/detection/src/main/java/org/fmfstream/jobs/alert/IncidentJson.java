package org.fmfstream.jobs.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.fmfstream.schemas.Incident;

/**
 * An {@link Incident} as plain JSON for webhooks: one object, fields named and ordered as in
 * Incident.avsc, enums as their names, nullable fields as JSON null (not Avro's
 * {@code {"long": 5}} union wrapping), nested records as objects.
 */
public final class IncidentJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IncidentJson() {}

    public static String toJson(Incident incident) {
        try {
            return MAPPER.writeValueAsString(toMap(incident));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write incident as JSON: " + e, e);
        }
    }

    static Map<String, Object> toMap(SpecificRecord record) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            m.put(f.name(), plain(record.get(f.pos())));
        }
        return m;
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof CharSequence || v instanceof Enum<?>) {
            return v.toString();
        }
        if (v instanceof SpecificRecord r) {
            return toMap(r);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(plain(o));
            }
            return out;
        }
        if (v instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        return v.toString();
    }
}
