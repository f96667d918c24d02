package dev.pelagos.cli.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The global {@code --log FILE}: containerd's shim and podman read a failed call's error from it
 * (one JSON object per line with {@code --log-format json}, runc's layout).
 */
public final class OciLog {
    private OciLog() {
    }

    /** Appends one entry; a log that cannot be written must not hide the error being reported. */
    public static void write(String file, String format, String level, String msg) {
        if (file == null || file.isEmpty()) {
            return;
        }
        String time = Instant.now().toString();
        String line = "json".equals(format)
                ? "{\"level\":\"" + level + "\",\"msg\":" + dev.pelagos.cli.OutputFormat.quote(msg) + ",\"time\":\"" + time + "\"}\n"
                : "time=\"" + time + "\" level=" + level + " msg=" + dev.pelagos.cli.OutputFormat.quote(msg) + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            // nowhere left to report it; the error itself still goes to stderr
        }
    }
}
