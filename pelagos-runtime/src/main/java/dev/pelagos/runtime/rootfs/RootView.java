package dev.pelagos.runtime.rootfs;

import java.io.IOException;
import java.util.Optional;

/**
 * Read-only access to files of a container's root filesystem before it runs (for /etc/passwd,
 * /etc/group). Paths are resolved as the container would see them: symlinks are followed
 * inside the root and never out of it.
 */
public interface RootView {
    /**
     * The content of a regular file, or empty if it does not exist. A file larger than
     * {@code maxBytes}, or one that is not a regular file (e.g. a symlink to /dev/zero),
     * is treated as absent: reading it must never hang or exhaust memory (CVE-2024-9676).
     */
    Optional<byte[]> readFile(String path, int maxBytes) throws IOException;
}
