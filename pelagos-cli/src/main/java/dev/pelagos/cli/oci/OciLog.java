package dev.pelagos.cli.oci;

import dev.pelagos.cli.OutputFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The global {@code --log FILE} / {@code --log-format} / {@code --debug}, in runc's line layout
 * (logrus text, or one JSON object per line): containerd's shim and podman read a failed call's
 * error from the file; with {@code --debug} the steps are logged too, to the file or else to stderr.
 */
public final class OciLog {
    private OciLog() {
    }

    /** Appends one entry to file (nothing without one); a log that cannot be written must not hide the error being reported. */
    public static void write(String file, String format, String level, String msg) {
        if (file == null || file.isEmpty()) {
            return;
        }
        try {
            Files.writeString(Path.of(file), line(format, level, msg), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            // nowhere left to report it; the error itself still goes to stderr
        }
    }

    /** One entry to the file if there is one, else to {@code err} (runc's --debug without --log). */
    public static void write(String file, String format, String level, String msg, PrintStream err) {
        if (file == null || file.isEmpty()) {
            err.print(line(format, level, msg));
        } else {
            write(file, format, level, msg);
        }
    }

    static String line(String format, String level, String msg) {
        String time = Instant.now().toString();
        return "json".equals(format)
                ? "{\"level\":\"" + level + "\",\"msg\":" + OutputFormat.quote(msg) + ",\"time\":\"" + time + "\"}\n"
                : "time=\"" + time + "\" level=" + level + " msg=" + OutputFormat.quote(msg) + "\n";
    }
}
