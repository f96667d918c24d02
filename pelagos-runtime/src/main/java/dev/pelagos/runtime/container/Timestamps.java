package dev.pelagos.runtime.container;

/**
 * RFC 3339 UTC timestamps with microseconds ({@code 2026-11-29T21:45:11.113241Z}), formatted by hand:
 * java.time's formatter machinery costs milliseconds to initialise on the container start path.
 * The result parses with {@link java.time.Instant#parse}.
 */
final class Timestamps {
    private Timestamps() {
    }

    static String now() {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        return format(micros);
    }

    static String format(long epochMicros) {
        long secs = Math.floorDiv(epochMicros, 1_000_000L);
        long frac = Math.floorMod(epochMicros, 1_000_000L);
        long days = Math.floorDiv(secs, 86_400L);
        long sod = Math.floorMod(secs, 86_400L);
        // civil-from-days (Howard Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        StringBuilder sb = new StringBuilder(27);
        pad(sb, y, 4).append('-');
        pad(sb, m, 2).append('-');
        pad(sb, d, 2).append('T');
        pad(sb, sod / 3600, 2).append(':');
        pad(sb, sod / 60 % 60, 2).append(':');
        pad(sb, sod % 60, 2).append('.');
        pad(sb, frac, 6).append('Z');
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
