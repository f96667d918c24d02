package dev.pelagos.runtime.seccomp;

import dev.pelagos.base.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Compiled filters on disk, one file per key, so a container start only reads bytes. The key names
 * everything the BPF depends on: the profile's identity (a constant for the built-in profile, the
 * SHA-256 of the bytes for a file), the capability mask, the architecture, the kernel release and
 * the libseccomp version. It is spelled out rather than hashed because a cache hit for the built-in
 * profile must not pay for JCA's start-up (~20 ms in a fresh JVM, measured); the fields are
 * percent-encoded and comma-separated, so distinct inputs give distinct names. A file is an 8-byte
 * header (magic, seccomp flags) and the BPF; one that is torn or malformed counts as a miss.
 */
public final class SeccompFilterCache {
    /** Changes when the file format or the way profiles compile changes. */
    static final String FORMAT = "v2";
    /** File names stay well under NAME_MAX (255) with the ".bpf" suffix. */
    private static final int MAX_KEY_LENGTH = 200;
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
        // StringBuilder, not '+': no StringConcatFactory bootstrap on the start path
        StringBuilder key = new StringBuilder(160);
        encodeField(key, FORMAT);
        encodeField(key.append(','), profileIdentity);
        encodeField(key.append(','), Long.toHexString(capMask));
        encodeField(key.append(','), host.arch().libseccompName());
        encodeField(key.append(','), host.kernelRelease());
        encodeField(key.append(','), host.libseccompVersion());
        if (key.length() > MAX_KEY_LENGTH) {
            // a freak kernel release string: keep the file name legal
            return sha256Hex(key.toString().getBytes(StandardCharsets.UTF_8));
        }
        return key.toString();
    }

    /** Keeps [A-Za-z0-9.+~_-] and percent-encodes every other UTF-8 byte, so ',' can separate fields. */
    private static void encodeField(StringBuilder out, String field) {
        for (byte b : field.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '+'
                    || c == '~' || c == '-' || c == '_';
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    Path file(String key) {
        return directory.resolve(key.concat(".bpf"));
    }

    /** The cached filter, or empty when absent or unreadable. */
    public Optional<SeccompFilter> read(String key) {
        byte[] content;
        try {
            content = Files.readAllBytes(file(key));
        } catch (IOException e) {
            // absent (the usual miss) or unreadable: compile again and overwrite
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
