package dev.pelagos.base;

import java.util.List;
import java.util.Map;

/**
 * A small, reflection-free JSON writer for the start path: a general JSON library reflects over
 * records through method handles, which costs tens of milliseconds in a fresh JVM.
 * Values may be null, String, Number, Boolean, List, Map (string keys) or {@link Raw}.
 */
public final class JsonWriter {
    private final StringBuilder sb = new StringBuilder(512);
    private final boolean pretty;
    private int depth;

    /** Already-serialised JSON, inserted as is. */
    public record Raw(String json) {
    }

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    public static String write(Object value, boolean pretty) {
        JsonWriter w = new JsonWriter(pretty);
        w.value(value);
        return w.sb.toString();
    }

    // instanceof, not a pattern switch: a type switch is bootstrapped through method handles on
    // first use, which costs milliseconds on the start path
    private void value(Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Boolean || v instanceof Number) {
            sb.append(v);
        } else if (v instanceof Raw r) {
            sb.append(r.json());
        } else if (v instanceof List<?> l) {
            sb.append('[');
            depth++;
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                newline();
                value(l.get(i));
            }
            depth--;
            if (!l.isEmpty()) {
                newline();
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            depth++;
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline();
                string(String.valueOf(e.getKey()));
                sb.append(pretty ? ": " : ":");
                value(e.getValue());
            }
            depth--;
            if (!m.isEmpty()) {
                newline();
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass());
        }
    }

    private void newline() {
        if (pretty) {
            sb.append('\n');
            for (int i = 0; i < depth; i++) {
                sb.append("  ");
            }
        }
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00");
                        sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
