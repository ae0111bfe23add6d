package org.fmfstream.model.benchmark;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The split files {@code train.json} / {@code test.json}: one JSON object mapping a video file name
 * ({@code "batch1.mat"}) to a list of frame indexes. Only that shape is read or written, so a few
 * lines of parsing do instead of a JSON library.
 */
final class SplitJson {
    private final String text;
    private final String source;
    private int pos;

    private SplitJson(String text, String source) {
        this.text = text;
        this.source = source;
    }

    static String write(Map<String, int[]> framesByFile) {
        StringBuilder out = new StringBuilder("{");
        Iterator<Map.Entry<String, int[]>> entries = framesByFile.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, int[]> e = entries.next();
            out.append('"').append(escape(e.getKey())).append("\": [");
            int[] frames = e.getValue();
            for (int i = 0; i < frames.length; i++) {
                out.append(i == 0 ? "" : ", ").append(frames[i]);
            }
            out.append(entries.hasNext() ? "],\n " : "]");
        }
        return out.append("}\n").toString();
    }

    /** Parses a split file; {@code source} names it in error messages. */
    static Map<String, int[]> read(String text, String source) {
        SplitJson p = new SplitJson(text, source);
        Map<String, int[]> result = p.object();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the JSON object");
        }
        return result;
    }

    private Map<String, int[]> object() {
        Map<String, int[]> result = new LinkedHashMap<>();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
            return result;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            result.put(key, intArray(key));
            skipSpace();
            char c = next();
            if (c == '}') {
                return result;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private int[] intArray(String key) {
        skipSpace();
        if (peek() != '[') {
            throw error("the value of \"" + key + "\" must be a list of frame indexes");
        }
        pos++;
        int[] values = new int[16];
        int n = 0;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return new int[0];
        }
        while (true) {
            skipSpace();
            int start = pos;
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '-')) {
                pos++;
            }
            long value;
            try {
                value = Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("\"" + key + "\" holds something that is not a frame index");
            }
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw error("\"" + key + "\" holds frame index " + value + ", outside 0.." + Integer.MAX_VALUE);
            }
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, n * 2);
            }
            values[n++] = (int) value;
            skipSpace();
            char c = next();
            if (c == ']') {
                return java.util.Arrays.copyOf(values, n);
            }
            if (c != ',') {
                throw error("expected ',' or ']' in the list of \"" + key + "\"");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder s = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return s.toString();
            }
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> s.append(e);
                    case 'n' -> s.append('\n');
                    case 't' -> s.append('\t');
                    case 'r' -> s.append('\r');
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            s.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            } else {
                s.append(c);
            }
        }
    }

    private void expect(char c) {
        skipSpace();
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of file");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private BenchmarkFormatException error(String what) {
        return new BenchmarkFormatException(source + " is not a split file (a JSON object mapping \"NAME.mat\" "
                + "to frame indexes): " + what + " at character " + pos);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
