package dev.pelagos.image.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The store-wide lock between writers and garbage collection: pulls, loads and tags hold it
 * shared (they may run together), prune holds it exclusively so it never deletes a blob a pull
 * has fetched but not yet named.
 */
public final class StoreLock implements AutoCloseable {
    private final FileChannel channel;
    private final java.nio.channels.FileLock lock;

    private StoreLock(FileChannel channel, java.nio.channels.FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static StoreLock shared(Path layoutRoot) throws IOException {
        return acquire(layoutRoot, true);
    }

    public static StoreLock exclusive(Path layoutRoot) throws IOException {
        return acquire(layoutRoot, false);
    }

    private static StoreLock acquire(Path layoutRoot, boolean shared) throws IOException {
        Path f = layoutRoot.resolve(".locks").resolve("gc.lock");
        Files.createDirectories(f.getParent());
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new StoreLock(ch, ch.lock(0, Long.MAX_VALUE, shared));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
