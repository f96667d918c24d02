package dev.pelagos.runtime.seccomp;

import dev.pelagos.base.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Compiled filters on disk, one file per key, so a container start only reads bytes. The key is a
 * SHA-256 over everything the BPF depends on: the profile's identity, the capability mask, the
 * architecture, the kernel release and the libseccomp version. A file is an 8-byte header (magic,
 * seccomp flags) and the BPF; one that is torn or malformed counts as a miss and is rewritten.
 */
public final class SeccompFilterCache {
    /** Changes when the file format or the way profiles compile changes. */
    static final String FORMAT = "pelagos-seccomp-cache-1";
    private static final byte[] MAGIC = {'P', 'S', 'C', '1'};
    private static final int HEADER = 8;

    private final Path directory;

    public SeccompFilterCache(Path directory) {
        this.directory = java.util.Objects.requireNonNull(directory, "directory");
    }

    public Path directory() {
        return directory;
    }

    public static String key(String profileIdentity, long capMask, SeccompHost host) {
        String material = FORMAT + "\nprofile=" + profileIdentity + "\ncaps=" + Long.toHexString(capMask)
                + "\narch=" + host.arch().libseccompName() + "\nkernel=" + host.kernelRelease()
                + "\nlibseccomp=" + host.libseccompVersion() + "\n";
        return sha256Hex(material.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    Path file(String key) {
        return directory.resolve(key + ".bpf");
    }

    /** The cached filter, or empty when absent or unreadable. */
    public Optional<SeccompFilter> read(String key) {
        byte[] content;
        try {
            content = Files.readAllBytes(file(key));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (content.length <= HEADER || !Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        byte[] bpf = Arrays.copyOfRange(content, HEADER, content.length);
        if (!dev.pelagos.sys.seccomp.CompiledFilter.isWellFormed(bpf)) {
            return Optional.empty();
        }
        int flags = ByteBuffer.wrap(content, MAGIC.length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Optional.of(new SeccompFilter(bpf, flags));
    }

    /** Stores a filter atomically: readers see the old file, the new one, or none. */
    public void write(String key, SeccompFilter filter) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(HEADER + filter.bpf().length).order(ByteOrder.LITTLE_ENDIAN);
        content.put(MAGIC).putInt(filter.flags()).put(filter.bpf());
        AtomicFiles.write(file(key), content.array());
    }
}
