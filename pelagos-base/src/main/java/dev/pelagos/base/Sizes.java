package dev.pelagos.base;

import java.util.Locale;

/** Byte sizes as users write them: {@code 512}, {@code 64k}, {@code 512m}, {@code 1g}, {@code 1.5g}. */
public final class Sizes {
    private Sizes() {
    }

    /**
     * Parses a size with an optional b/k/m/g/t suffix (case-insensitive, an optional trailing "b"
     * as in "512mb"); the result is in bytes.
     *
     * @param what names the value in the error message, e.g. "memory"
     */
    public static long parse(String what, String text) throws PelagosException {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'b' -> unit = 1;
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 0;
            }
            if (unit != 0) {
                s = s.substring(0, s.length() - 1);
            } else {
                unit = 1;
            }
        }
        try {
            // only plain decimals: Double.parseDouble would also take "10d", "1e3", "+5"
            if (!s.matches("\\d+(\\.\\d+)?")) {
                throw new NumberFormatException();
            }
            double v = Double.parseDouble(s);
            double bytes = v * unit;
            if (bytes > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) bytes;
        } catch (NumberFormatException e) {
            throw PelagosException.invalid("invalid " + what + " value '" + text + "'",
                    "use a number of bytes with an optional unit: b, k, m, g (e.g. 512m)");
        }
    }

    /** Human-readable IEC size for tables: 1.5GiB, 64MiB, 512B. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        if (i == 0) {
            return bytes + "B";
        }
        String n = String.format(Locale.ROOT, "%.4g", v);
        if (n.contains(".")) {
            n = n.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return n + units[i];
    }
}
