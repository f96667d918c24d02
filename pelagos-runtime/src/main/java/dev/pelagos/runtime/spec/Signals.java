package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.util.Locale;
import java.util.Map;

/** Signal names and numbers as users write them: {@code TERM}, {@code SIGTERM}, {@code 15}. */
public final class Signals {
    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    public static final int SIGTERM = 15;
    public static final int SIGKILL = 9;

    private Signals() {
    }

    public static int parse(String s) throws PelagosException {
        String n = s.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        if (n.matches("\\d+")) {
            int v = Integer.parseInt(n);
            if (v >= 1 && v <= 64) {
                return v;
            }
        } else if (n.startsWith("RTMIN") || n.startsWith("RTMAX")) {
            String rest = n.substring(5);
            int off = rest.isEmpty() ? 0 : rest.matches("[+-]\\d+") ? Integer.parseInt(rest) : 99;
            int v = n.startsWith("RTMIN") ? 34 + off : 64 + off;
            if (v >= 34 && v <= 64) {
                return v;
            }
        } else {
            Integer v = BY_NAME.get(n);
            if (v != null) {
                return v;
            }
        }
        throw PelagosException.invalid("invalid signal '" + s + "'", "use a name like TERM, SIGKILL, or a number 1-64");
    }

    public static String name(int sig) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == sig && !e.getKey().equals("IOT") && !e.getKey().equals("POLL")) {
                return "SIG" + e.getKey();
            }
        }
        return Integer.toString(sig);
    }
}
