package dev.pelagos.base;

/**
 * Debug records through {@link System.Logger}, made only when the application asked for them
 * (the CLI's {@code --debug} sets {@value #PROPERTY}): a process's first {@code System.getLogger}
 * costs 15-20 ms (the logger finder's service lookup), which a container start must not pay.
 */
public final class DebugLog {
    public static final String PROPERTY = "pelagos.debug";

    private DebugLog() {
    }

    public static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** A DEBUG record in {@code source}'s logger, {@link java.text.MessageFormat} style ({0}, {1}...). */
    public static void log(Class<?> source, String format, Object... args) {
        if (enabled()) {
            System.getLogger(source.getName()).log(System.Logger.Level.DEBUG, format, args);
        }
    }
}
