package dev.pelagos.cli;

import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.ref.Digest;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders image progress events as lines on stderr: one per step and one per layer phase change
 * (downloads report every 25%). Quiet mode prints nothing.
 */
public final class ProgressPrinter implements ProgressListener {
    private final PrintStream err;
    private final boolean quiet;
    private final Map<Digest, String> last = new ConcurrentHashMap<>();

    public ProgressPrinter(PrintStream err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public void status(String message) {
        if (!quiet) {
            synchronized (err) {
                err.println(message);
            }
        }
    }

    @Override
    public void layer(Digest digest, Phase phase, long done, long total) {
        if (quiet || phase == Phase.WAITING) {
            return;
        }
        String step = phase == Phase.DOWNLOADING && total > 0 ? phase + " " + (int) (100 * done / total / 25 * 25) + "%"
                : phase.toString();
        if (step.equals(last.put(digest, step))) {
            return;
        }
        String shortId = digest.toString().replace("sha256:", "");
        shortId = shortId.length() > 12 ? shortId.substring(0, 12) : shortId;
        synchronized (err) {
            err.println("  " + shortId + ": " + step.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
