package dev.pelagos.sys.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace kept alive by a file it is bound on (as {@code ip netns add} does), so it
 * can be configured before any process lives in it and joined later by path. Made from a
 * short-lived platform thread that unshares its own network namespace: the rest of the JVM
 * never leaves the host's.
 */
public final class NetNamespace {
    private NetNamespace() {
    }

    /** Makes a new network namespace (only {@code lo}, down) bound on {@code file}, which must not exist. */
    public static void create(Path file) throws IOException {
        Files.createFile(file);
        AtomicReference<NetlinkException> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("pelagos-netns").start(() -> {
            try {
                Libc.unshareNet();
                Libc.bindMount("/proc/thread-self/ns/net", file.toString());
            } catch (NetlinkException e) {
                failure.set(e);
            }
        });
        NetlinkSocket.join(t);
        if (failure.get() != null) {
            Files.deleteIfExists(file);
            throw failure.get();
        }
    }

    /** Unbinds and removes the file; the namespace ends when nothing else holds it. */
    public static void delete(Path file) throws IOException {
        try {
            Libc.detach(file.toString());
        } catch (NetlinkException e) {
            if (e.errno() != 22 && e.errno() != 2) { // EINVAL: not a mount point; ENOENT: gone
                throw e;
            }
        }
        Files.deleteIfExists(file);
    }
}
