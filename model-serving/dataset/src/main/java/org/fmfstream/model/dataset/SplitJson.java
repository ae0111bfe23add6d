package org.fmfstream.model.dataset;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The split files {@code train.json} / {@code test.json}: one JSON object mapping a video file name
 * ({@code "batch1.mat"}) to a list of frame indexes. Written as the reference's Python writes them
 * ({@code "batch1.mat": [0, 2, 4]}, one file per line).
 */
final class SplitJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SplitJson() {}

    static String write(Map<String, int[]> framesByFile) {
        ObjectNode root = JSON.createObjectNode();
        framesByFile.forEach((file, frames) -> {
            ArrayNode list = root.putArray(file);
            for (int f : frames) {
                list.add(f);
            }
        });
        try {
            return JSON.writer(new PythonLayout()).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a split file", e);   // a tree of strings and ints always writes
        }
    }

    /** Parses a split file; {@code source} names it in error messages. */
    static Map<String, int[]> read(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw error(source, e.getOriginalMessage() + " at character " + e.getLocation().getCharOffset());
        }
        if (root == null || !root.isObject()) {
            int at = 0;
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            throw error(source, "expected '{' (one JSON object) at character " + at);
        }
        Map<String, int[]> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode list = e.getValue();
            if (!list.isArray()) {
                throw error(source, "the value of \"" + key + "\" must be a list of frame indexes");
            }
            int[] frames = new int[list.size()];
            for (int i = 0; i < frames.length; i++) {
                JsonNode v = list.get(i);
                if (!v.isIntegralNumber()) {
                    throw error(source, "\"" + key + "\" holds something that is not a frame index");
                }
                if (!v.canConvertToInt() || v.intValue() < 0) {
                    throw error(source, "\"" + key + "\" holds frame index " + v.asText() + ", outside 0.."
                            + Integer.MAX_VALUE);
                }
                frames[i] = v.intValue();
            }
            result.put(key, frames);
        }
        return result;
    }

    private static BenchmarkFormatException error(String source, String what) {
        return new BenchmarkFormatException(source + " is not a split file (a JSON object mapping \"NAME.mat\" "
                + "to frame indexes): " + what);
    }

    /** Python's {@code json.dump} separators ({@code ": "}, {@code ", "}), one file per line. */
    private static final class PythonLayout extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
