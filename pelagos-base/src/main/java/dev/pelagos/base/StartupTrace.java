package dev.pelagos.base;

/**
 * Start-path timing for development: with {@code PELAGOS_TRACE=1} each {@link #mark} prints the
 * milliseconds since the first mark to stderr. Costs one environment lookup when off.
 */
public final class StartupTrace {
    private static final boolean ON = System.getenv("PELAGOS_TRACE") != null;
    private static final long T0 = System.nanoTime();

    private StartupTrace() {
    }

    public static void mark(String what) {
        if (ON) {
            // no printf: initialising Formatter would itself cost tens of milliseconds
            long us = (System.nanoTime() - T0) / 1000;
            System.err.println("[trace] " + us / 1000 + "." + (us % 1000) / 100 + " ms " + what);
        }
    }
}
