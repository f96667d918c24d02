package dev.pelagos.image.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * flock-style locks that work between processes <em>and</em> between threads of one JVM. The JDK
 * gives a file lock to the whole JVM (a second thread gets OverlappingFileLockException), so
 * threads first queue on an in-JVM lock for the same path, and one OS lock is shared by all
 * threads holding the shared mode.
 */
public final class LockFile implements AutoCloseable {
    private static final Map<Path, ReentrantLock> EXCLUSIVE = new ConcurrentHashMap<>();
    private static final Map<Path, SharedState> SHARED = new ConcurrentHashMap<>();

    private final Runnable release;

    private LockFile(Runnable release) {
        this.release = release;
    }

    private static final class SharedState {
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock(true);
        int holders;
        FileChannel channel;
        FileLock lock;
    }

    /** An exclusive lock on {@code file} (created if missing). */
    public static LockFile exclusive(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock local = EXCLUSIVE.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try {
            FileChannel ch = open(key);
            FileLock fl = lockOrClose(ch, false);
            return new LockFile(() -> {
                closeQuietly(fl, ch);
                local.unlock();
            });
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** A lock other shared holders may hold at the same time; excludes {@link #exclusiveOfShared} holders. */
    public static LockFile shared(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        SharedState s = SHARED.computeIfAbsent(key, k -> new SharedState());
        s.rw.readLock().lock();
        try {
            synchronized (s) {
                if (s.holders == 0) {
                    s.channel = open(key);
                    s.lock = lockOrClose(s.channel, true);
                }
                s.holders++;
            }
        } catch (IOException | RuntimeException e) {
            s.rw.readLock().unlock();
            throw e;
        }
        return new LockFile(() -> {
            synchronized (s) {
                if (--s.holders == 0) {
                    closeQuietly(s.lock, s.channel);
                    s.lock = null;
                    s.channel = null;
                }
            }
            s.rw.readLock().unlock();
        });
    }

    /** The exclusive side of a lock file used with {@link #shared}. */
    public static LockFile exclusiveOfShared(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        SharedState s = SHARED.computeIfAbsent(key, k -> new SharedState());
        s.rw.writeLock().lock();
        try {
            FileChannel ch = open(key);
            FileLock fl = lockOrClose(ch, false);
            return new LockFile(() -> {
                closeQuietly(fl, ch);
                s.rw.writeLock().unlock();
            });
        } catch (IOException | RuntimeException e) {
            s.rw.writeLock().unlock();
            throw e;
        }
    }

    private static FileChannel open(Path key) throws IOException {
        Files.createDirectories(key.getParent());
        return FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static FileLock lockOrClose(FileChannel ch, boolean shared) throws IOException {
        try {
            return ch.lock(0, Long.MAX_VALUE, shared);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void closeQuietly(FileLock fl, FileChannel ch) {
        try {
            fl.release();
        } catch (IOException ignored) {
            // closing the channel below releases it anyway
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    @Override
    public void close() {
        release.run();
    }
}
