package dev.pelagos.image.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The store-wide lock between writers and garbage collection: pulls, loads and tags hold it
 * shared (they may run together, in one JVM or many), prune holds it exclusively so it never
 * deletes a blob a pull has fetched but not yet named.
 */
public final class StoreLock implements AutoCloseable {
    private final LockFile lock;

    private StoreLock(LockFile lock) {
        this.lock = lock;
    }

    public static StoreLock shared(Path layoutRoot) throws IOException {
        return new StoreLock(LockFile.shared(file(layoutRoot)));
    }

    public static StoreLock exclusive(Path layoutRoot) throws IOException {
        return new StoreLock(LockFile.exclusiveOfShared(file(layoutRoot)));
    }

    private static Path file(Path layoutRoot) {
        return layoutRoot.resolve(".locks").resolve("gc.lock");
    }

    @Override
    public void close() {
        lock.close();
    }
}
