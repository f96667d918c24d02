package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.util.Locale;

/** One {@code --ulimit RES=SOFT[:HARD]}; -1 or "unlimited" means no limit. */
public record Ulimit(String name, int resource, long soft, long hard) {
    public static final long UNLIMITED = -1;

    public static Ulimit parse(String spec) throws PelagosException {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw PelagosException.invalid("invalid --ulimit '" + spec + "': expected RESOURCE=SOFT:HARD");
        }
        String name = spec.substring(0, eq).toLowerCase(Locale.ROOT);
        int res = resource(name);
        if (res < 0) {
            throw PelagosException.invalid("invalid --ulimit '" + spec + "': unknown ulimit resource '" + name + "'",
                    "use one of nofile, nproc, core, cpu, fsize, data, stack, memlock, as, locks, sigpending, msgqueue, nice, rtprio, rttime");
        }
        String[] v = spec.substring(eq + 1).split(":", -1);
        if (v.length > 2 || v[0].isEmpty()) {
            throw PelagosException.invalid("invalid --ulimit '" + spec + "': expected SOFT:HARD");
        }
        long soft = value(spec, v[0]);
        long hard = v.length == 2 ? value(spec, v[1]) : soft;
        if (hard != UNLIMITED && (soft == UNLIMITED || soft > hard)) {
            throw PelagosException.invalid("invalid --ulimit '" + spec + "': the soft limit is above the hard limit");
        }
        return new Ulimit(name, res, soft, hard);
    }

    private static long value(String spec, String s) throws PelagosException {
        if (s.equals("-1") || s.equalsIgnoreCase("unlimited")) {
            return UNLIMITED;
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw PelagosException.invalid("invalid --ulimit '" + spec + "': '" + s + "' is not a number");
        }
    }

    /** Linux RLIMIT_* numbers (x86_64 and every other arch Linux supports share them). */
    static int resource(String name) {
        return switch (name) {
            case "cpu" -> 0;
            case "fsize" -> 1;
            case "data" -> 2;
            case "stack" -> 3;
            case "core" -> 4;
            case "rss" -> 5;
            case "nproc", "maxproc" -> 6;
            case "nofile", "openfiles" -> 7;
            case "memlock" -> 8;
            case "as", "vmem" -> 9;
            case "locks" -> 10;
            case "sigpending" -> 11;
            case "msgqueue" -> 12;
            case "nice" -> 13;
            case "rtprio" -> 14;
            case "rttime" -> 15;
            default -> -1;
        };
    }
}
