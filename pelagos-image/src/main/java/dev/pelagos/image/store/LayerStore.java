package dev.pelagos.image.store;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.image.ImageException;
import dev.pelagos.image.layer.LayerExtractor;
import dev.pelagos.image.ref.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Unpacked layers, one directory per diff-id ({@code <data>/layers/<hex>}), shared by every image
 * that uses the layer and ready to be an overlay lower dir. A layer is extracted into
 * {@code .tmp-<hex>} under the layer's lock and renamed into place only when the extracted tar's
 * digest equals the diff-id, so a directory named after a diff-id is always complete.
 */
public final class LayerStore {
    private final Path root;

    public LayerStore(Path layersRoot) {
        this.root = layersRoot;
    }

    public Path dir(Digest diffId) {
        return root.resolve(diffId.hex());
    }

    public boolean has(Digest diffId) {
        return Files.isDirectory(dir(diffId), LinkOption.NOFOLLOW_LINKS);
    }

    /** Source of the uncompressed layer tar; opened only when the layer is not there yet. */
    @FunctionalInterface
    public interface TarSource {
        InputStream open() throws IOException, ImageException;
    }

    /**
     * Extracts a layer unless it is present. Returns true when it extracted, false when another
     * pull (or an earlier one) already had it.
     */
    public boolean unpack(Digest diffId, TarSource source, String what) throws ImageException {
        try {
            Files.createDirectories(root);
            try (LockFile _ = LockFile.exclusive(root.resolve(".locks").resolve(diffId.hex() + ".lock"))) {
                if (has(diffId)) {
                    return false;
                }
                Path tmp = root.resolve(".tmp-" + diffId.hex());
                deleteTree(tmp); // left by a pull that was killed while extracting
                Files.createDirectory(tmp);
                MessageDigest hasher = diffId.newHasher();
                try (InputStream raw = source.open(); DigestInputStream in = new DigestInputStream(raw, hasher)) {
                    new LayerExtractor(tmp).extract(in);
                    in.transferTo(java.io.OutputStream.nullOutputStream()); // tar padding after the end marker
                }
                Digest actual = Digest.ofSha256(hasher);
                if (!actual.equals(diffId)) {
                    deleteTree(tmp);
                    throw new BlobStore.DigestMismatchException(what + " unpacks to " + actual + ", but the image config says "
                            + diffId);
                }
                Files.move(tmp, dir(diffId), StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(root);
                return true;
            }
        } catch (IOException e) {
            throw ImageException.io("unpack " + what, e);
        }
    }

    public void delete(Digest diffId) throws IOException {
        try (LockFile _ = LockFile.exclusive(root.resolve(".locks").resolve(diffId.hex() + ".lock"))) {
            // rename first so a half-deleted layer never looks complete
            Path doomed = root.resolve(".del-" + diffId.hex());
            if (has(diffId)) {
                deleteTree(doomed);
                Files.move(dir(diffId), doomed, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(doomed);
            }
        }
    }

    public List<Digest> all() throws IOException {
        List<Digest> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (Digest.isValid("sha256:" + name)) {
                    out.add(new Digest("sha256", name));
                }
            }
        }
        return out;
    }

    /** Bytes used by an unpacked layer (regular files only, hard links counted once per path). */
    public long diskUsage(Digest diffId) throws IOException {
        long[] total = {0};
        if (!has(diffId)) {
            return 0;
        }
        Files.walkFileTree(dir(diffId), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /** Deletes a tree without following symlinks; directories made read-only by a layer are opened up first. */
    public static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setAttribute(dir, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
