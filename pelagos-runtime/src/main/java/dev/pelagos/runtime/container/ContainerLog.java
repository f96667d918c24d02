package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's log as the helper writes it: CRI-format records
 * ({@code TIMESTAMP stdout|stderr F|P TEXT}), rotated to {@code container.log.1}.
 */
public final class ContainerLog {
    /** One line of output; {@code partial} when the container wrote it without a newline (yet). */
    public record Entry(Instant time, boolean stderr, boolean partial, String text) {
    }

    /** Where entries go; {@link #entry} is called in order. */
    public interface Sink {
        void entry(Entry e);
    }

    private ContainerLog() {
    }

    static Entry parse(String line) {
        int a = line.indexOf(' ');
        int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        if (a < 0 || b < 0 || b + 2 > line.length()) {
            return null;
        }
        try {
            Instant t = Instant.parse(line.substring(0, a));
            boolean err = line.startsWith("stderr", a + 1);
            boolean partial = line.charAt(b + 1) == 'P';
            String text = b + 3 <= line.length() ? line.substring(b + 3) : "";
            return new Entry(t, err, partial, text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Emits the log's entries: those at or after {@code since} (null: all), only the last
     * {@code tail} (negative: all); with {@code follow}, keeps emitting new ones while
     * {@code stillRunning} says so.
     */
    public static void read(Path log, Instant since, int tail, boolean follow, BooleanSupplier stillRunning, Sink sink)
            throws PelagosException {
        List<Entry> initial = new ArrayList<>();
        long offset = 0;
        try {
            Path rotated = log.resolveSibling(log.getFileName() + ".1");
            if (Files.exists(rotated)) {
                collect(Files.readString(rotated, StandardCharsets.UTF_8), since, initial);
            }
            if (Files.exists(log)) {
                // one read gives both the lines and where following starts: sizing the file apart
                // from reading it would skip what the monitor appended in between
                byte[] bytes = Files.readAllBytes(log);
                int end = lastNewline(bytes) + 1;
                collect(new String(bytes, 0, end, StandardCharsets.UTF_8), since, initial);
                offset = end;
            }
        } catch (IOException e) {
            throw PelagosException.io("read the log " + log, e);
        }
        int from = tail < 0 ? 0 : Math.max(0, initial.size() - tail);
        for (Entry e : initial.subList(from, initial.size())) {
            sink.entry(e);
        }
        if (follow) {
            follow(log, offset, stillRunning, sink);
        }
    }

    private static void collect(String text, Instant since, List<Entry> into) {
        for (String line : text.split("\n")) {
            Entry e = parse(line);
            if (e != null && (since == null || !e.time().isBefore(since))) {
                into.add(e);
            }
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void follow(Path log, long offset, BooleanSupplier stillRunning, Sink sink) throws PelagosException {
        Object inode = fileKey(log);
        StringBuilder partial = new StringBuilder();
        boolean lastRound = false;
        while (true) {
            boolean running = stillRunning.getAsBoolean();
            Object now = fileKey(log);
            if (now != null && !now.equals(inode)) {
                // rotated: what was left of the old file is in .1; start the new one from the top
                inode = now;
                offset = 0;
            }
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                if (f.length() < offset) {
                    offset = 0;
                }
                f.seek(offset);
                byte[] buf = new byte[(int) Math.min(1 << 20, f.length() - offset)];
                f.readFully(buf);
                offset += buf.length;
                partial.append(new String(buf, StandardCharsets.UTF_8));
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    Entry e = parse(partial.substring(0, nl));
                    partial.delete(0, nl + 1);
                    if (e != null) {
                        sink.entry(e);
                    }
                }
            } catch (IOException e) {
                if (!Files.exists(log) && !running) {
                    return;
                }
            }
            if (lastRound) {
                return;
            }
            if (!running) {
                lastRound = true; // one more read for what the monitor wrote before it recorded the exit
                continue;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

}
