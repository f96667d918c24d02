package dev.pelagos.cli;

import dev.pelagos.cli.oci.OciLog;
import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The back end of the libraries' {@link System.Logger} calls in the CLI (libraries never print):
 * warnings become {@code pelagos: warning: ...} lines on stderr; with the global {@code --debug}
 * every DEBUG-and-up record goes to the runtime log in runc's layout ({@code --log FILE}, else
 * stderr; the JDK's own loggers only from WARNING up). Loaded by the JDK through META-INF/services only when a library first logs.
 */
public final class CliLoggerFinder extends System.LoggerFinder {
    private static volatile Settings settings = new Settings(System.err, null, "text", false);

    record Settings(PrintStream err, String logFile, String logFormat, boolean debug) {
    }

    /** Set by {@link Main} once the global flags are known (again for each run in tests). */
    static void configure(PrintStream err, String logFile, String logFormat, boolean debug) {
        settings = new Settings(err, logFile, logFormat, debug);
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new CliLogger(name);
    }

    private record CliLogger(String name) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            // --debug is about what pelagos does: the JDK's own debug records (TLS, Runtime.exit) stay out
            return level != Level.OFF && (level.getSeverity() >= Level.WARNING.getSeverity()
                    || settings.debug() && level.getSeverity() >= Level.DEBUG.getSeverity() && name.startsWith("dev.pelagos."));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (!isLoggable(level)) {
                return;
            }
            emit(level, thrown == null ? msg : msg + ": " + thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!isLoggable(level)) {
                return;
            }
            emit(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params));
        }

        @Override
        public void log(Level level, Supplier<String> msg) {
            if (isLoggable(level)) {
                emit(level, msg.get());
            }
        }

        private static void emit(Level level, String msg) {
            Settings s = settings;
            String lv = level.getSeverity() >= Level.ERROR.getSeverity() ? "error"
                    : level.getSeverity() >= Level.WARNING.getSeverity() ? "warning"
                    : level.getSeverity() >= Level.INFO.getSeverity() ? "info" : "debug";
            if (s.debug()) {
                OciLog.write(s.logFile(), s.logFormat(), lv, msg, s.err());
            } else {
                s.err().println("pelagos: " + lv + ": " + msg);
                OciLog.write(s.logFile(), s.logFormat(), lv, msg);
            }
        }
    }
}
