package dev.pelagos.base;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Docker writes them: {@code 30}, {@code 30s}, {@code 1m30s}, {@code 500ms}, {@code 2h}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

    private Durations() {
    }

    /** A bare number means seconds. */
    public static Duration parse(String what, String text) throws PelagosException {
        String s = text.trim();
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        long nanos = 0;
        int at = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            double unit = switch (m.group(2)) {
                case "h" -> 3600e9;
                case "m" -> 60e9;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us", "µs" -> 1e3;
                default -> 1;
            };
            nanos += (long) (v * unit);
            at = m.end();
        }
        if (s.isEmpty() || at != s.length()) {
            throw PelagosException.invalid("invalid " + what + " '" + text + "'",
                    "use a duration such as 10, 10s, 1m30s or 500ms");
        }
        return Duration.ofNanos(nanos);
    }
}
