package dev.pelagos.cli;

import dev.pelagos.base.PelagosException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code --format table|json} and the plain column tables list commands print. */
public enum OutputFormat {
    TABLE, JSON;

    public static OutputFormat parse(String value) throws PelagosException {
        if (value == null) {
            return TABLE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "table" -> TABLE;
            case "json" -> JSON;
            default -> throw PelagosException.invalid("unknown format '" + value + "': expected 'table' or 'json'");
        };
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Left-aligned columns separated by at least three spaces, like docker's tables. */
    public static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        public Table(String... header) {
            rows.add(header);
        }

        public Table row(String... cells) {
            rows.add(cells);
            return this;
        }

        @Override
        public String toString() {
            int cols = rows.getFirst().length;
            int[] w = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < cols; i++) {
                    w[i] = Math.max(w[i], r[i] == null ? 0 : r[i].length());
                }
            }
            StringBuilder sb = new StringBuilder();
            for (String[] r : rows) {
                for (int i = 0; i < cols; i++) {
                    String cell = r[i] == null ? "" : r[i];
                    sb.append(cell);
                    if (i < cols - 1) {
                        sb.append(" ".repeat(w[i] - cell.length() + 3));
                    }
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }
}
