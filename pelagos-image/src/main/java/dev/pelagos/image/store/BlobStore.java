package dev.pelagos.image.store;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.ImageException;
import dev.pelagos.image.ref.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Content-addressed blobs in OCI image-layout form ({@code blobs/sha256/<hex>}). A blob appears
 * under its name only after its digest and size were verified; downloads grow in
 * {@code .partial/<hex>} (kept across crashes so a later pull resumes) and are renamed into
 * place. One lock file per digest serialises concurrent writers of the same blob.
 */
public final class BlobStore {
    private final Path root;

    public BlobStore(Path layoutRoot) {
        this.root = layoutRoot;
    }

    public Path path(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public long size(Digest digest) throws IOException {
        return Files.size(path(digest));
    }

    /** Where a download of this blob accumulates until verified. */
    public Path partialPath(Digest digest) {
        return root.resolve(".partial").resolve(digest.algorithm() + "-" + digest.hex());
    }

    /** Holds the per-blob lock; close it when the blob is stored (or the attempt given up). */
    public LockFile lock(Digest digest) throws IOException {
        return LockFile.exclusive(root.resolve(".locks").resolve(digest.algorithm() + "-" + digest.hex() + ".lock"));
    }

    public byte[] read(Digest digest) throws ImageException {
        try {
            return Files.readAllBytes(path(digest));
        } catch (java.nio.file.NoSuchFileException e) {
            throw ImageException.notFound("blob " + digest + " is missing from the image store",
                    "pull the image again to restore it");
        } catch (IOException e) {
            throw ImageException.io("read blob " + digest, e);
        }
    }

    /** Reads a blob and checks it still matches its name (the store may have been tampered with). */
    public byte[] readVerified(Digest digest) throws ImageException {
        byte[] data = read(digest);
        if (!Digest.sha256(data).equals(digest) && digest.algorithm().equals("sha256")) {
            throw new ImageException(ErrorKind.INTERNAL, "blob " + digest + " in the image store is corrupt",
                    "run 'pelagos image rm' on the image and pull it again");
        }
        return data;
    }

    /** Stores small content (manifests, configs) crash-safely; returns its digest. */
    public Digest put(byte[] content) throws ImageException {
        Digest digest = Digest.sha256(content);
        if (!has(digest)) {
            try {
                AtomicFiles.write(path(digest), content);
            } catch (IOException e) {
                throw ImageException.io("store blob " + digest, e);
            }
        }
        return digest;
    }

    /**
     * Copies a stream into the store, verifying digest and size (size -1: unknown). On mismatch
     * nothing is stored and the error names both digests.
     */
    public void ingest(InputStream in, Digest expected, long expectedSize, String what) throws ImageException {
        if (has(expected)) {
            return;
        }
        Path partial = partialPath(expected);
        try {
            Files.createDirectories(partial.getParent());
            MessageDigest hasher = expected.newHasher();
            long n = 0;
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) > 0) {
                    hasher.update(buf, 0, r);
                    out.write(buf, 0, r);
                    n += r;
                }
            }
            commit(partial, expected, expectedSize, n, hasher, what);
        } catch (IOException e) {
            throw ImageException.io("store " + what, e);
        }
    }

    /**
     * Moves a fully written partial file into place after checking what was hashed. The hasher
     * must have seen exactly the partial file's bytes.
     */
    public void commit(Path partial, Digest expected, long expectedSize, long actualSize, MessageDigest hasher, String what)
            throws ImageException, IOException {
        Digest actual = new Digest(expected.algorithm(), java.util.HexFormat.of().formatHex(hasher.digest()));
        if (expectedSize >= 0 && actualSize != expectedSize) {
            Files.deleteIfExists(partial);
            throw new DigestMismatchException(what + " has " + actualSize + " bytes, expected " + expectedSize);
        }
        if (!actual.equals(expected)) {
            Files.deleteIfExists(partial);
            throw new DigestMismatchException(what + " has digest " + actual + ", expected " + expected);
        }
        try (var ch = java.nio.channels.FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path target = path(expected);
        Files.createDirectories(target.getParent());
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
        AtomicFiles.syncDirectory(target.getParent());
    }

    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    /** Every stored blob's digest (for prune and disk usage). */
    public List<Digest> all() throws IOException {
        List<Digest> out = new ArrayList<>();
        Path dir = root.resolve("blobs").resolve("sha256");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (Digest.isValid("sha256:" + name)) {
                    out.add(new Digest("sha256", name));
                }
            }
        }
        return out;
    }

    /** Removes partial downloads nobody holds a lock on (left by a killed pull). */
    public void removeStalePartials() throws IOException {
        Path dir = root.resolve(".partial");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String[] parts = p.getFileName().toString().split("-", 2);
                if (parts.length == 2 && Digest.isValid(parts[0] + ":" + parts[1])) {
                    try (LockFile _ = lock(new Digest(parts[0], parts[1]))) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** Raised when downloaded content does not match its descriptor; nothing is stored. */
    public static final class DigestMismatchException extends ImageException {
        private static final long serialVersionUID = 1L;

        public DigestMismatchException(String message) {
            super(ErrorKind.EXTERNAL, message, "the registry or archive served corrupt or tampered content; try again");
        }
    }
}
