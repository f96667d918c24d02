package dev.pelagos.runtime.launch;

import java.nio.file.Path;

/**
 * Where the helper reports, for OCI callers (the global {@code --log}, {@code --log-format},
 * {@code --debug}): its errors are appended to {@code file} in runc's line format (containerd's
 * shim and conmon read a failed call's reason there), and with {@code debug} it also logs its
 * steps, to the file or else to stderr.
 *
 * @param file the log file, or null for none
 */
public record RuntimeLog(Path file, boolean json, boolean debug) {
    public static final RuntimeLog NONE = new RuntimeLog(null, false, false);

    /** The helper's flag word (native/src/helper/log.h): 1 JSON lines, 2 debug lines. */
    int flags() {
        return (json ? 1 : 0) | (debug ? 2 : 0);
    }

    boolean isNone() {
        return file == null && !debug;
    }
}
