package org.fmfstream.model.eval;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A few lines of JSON output for the report, so that model-serving needs no JSON library of its own
 * (Jackson only reaches it through Avro). Values are maps with string keys (written in their
 * iteration order), lists, strings, numbers, booleans and null; a number that is not finite is
 * written as {@code null}, the report's "undefined".
 */
final class JsonText {
    private JsonText() {}

    static String of(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, int indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            container(map.entrySet().iterator(), '{', '}', out, indent, (e, o) -> {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                string((String) entry.getKey(), o);
                o.append(": ");
                write(entry.getValue(), o, indent + 1);
            });
        } else if (value instanceof List<?> list) {
            container(list.iterator(), '[', ']', out, indent, (e, o) -> write(e, o, indent + 1));
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private interface Element {
        void write(Object element, StringBuilder out);
    }

    private static void container(Iterator<?> elements, char open, char close, StringBuilder out, int indent,
            Element element) {
        out.append(open);
        if (!elements.hasNext()) {
            out.append(close);
            return;
        }
        while (elements.hasNext()) {
            out.append('\n').append("  ".repeat(indent + 1));
            element.write(elements.next(), out);
            if (elements.hasNext()) {
                out.append(',');
            }
        }
        out.append('\n').append("  ".repeat(indent)).append(close);
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
