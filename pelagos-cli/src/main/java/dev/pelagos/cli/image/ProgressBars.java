package dev.pelagos.cli.image;

import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.ref.Digest;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** One bar per layer on a terminal, redrawn in place (at most every 100 ms, and on every phase change). */
final class ProgressBars implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final Map<Digest, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    ProgressBars(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void status(String message) {
        clear();
        err.println(message);
        drawn = 0;
        redraw();
    }

    @Override
    public synchronized void layer(Digest digest, Phase phase, long done, long total) {
        String bar = switch (phase) {
            case DOWNLOADING -> bar(done, total) + " " + human(done) + "/" + human(total);
            case UPLOADING -> "pushing " + human(total);
            case WAITING -> "waiting";
            case CACHED -> "already present";
            case EXTRACTING -> "extracting";
            case PUSHED -> "pushed";
            case DONE -> "done";
        };
        String old = lines.put(digest, digest.shortHex() + "  " + bar);
        long now = System.nanoTime();
        if (old == null || phase != Phase.DOWNLOADING || now - lastDraw > 100_000_000L) {
            lastDraw = now;
            clear();
            redraw();
        }
    }

    private void clear() {
        if (drawn > 0) {
            err.print("\033[" + drawn + "A\033[J");
        }
    }

    private void redraw() {
        lines.values().forEach(err::println);
        drawn = lines.size();
        err.flush();
    }

    private static String bar(long done, long total) {
        int filled = total > 0 ? (int) Math.min(WIDTH, WIDTH * done / total) : 0;
        return "[" + "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "") + "]";
    }

    private static String human(long n) {
        return n < 0 ? "?" : dev.pelagos.base.Sizes.human(n);
    }
}
