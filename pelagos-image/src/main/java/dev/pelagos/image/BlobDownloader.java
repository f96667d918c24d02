package dev.pelagos.image;

import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.registry.RegistryClient;
import dev.pelagos.image.registry.RegistryException;
import dev.pelagos.image.store.BlobStore;
import dev.pelagos.image.store.LockFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Downloads one blob into the store: resumes from a partial file left by an interrupted pull
 * (HTTP Range), verifies size and digest before the blob gets its name, and retries a broken
 * transfer a few times from where it stopped.
 */
final class BlobDownloader {
    private static final int ATTEMPTS = 3;

    private final BlobStore blobs;
    private final ProgressListener progress;

    BlobDownloader(BlobStore blobs, ProgressListener progress) {
        this.blobs = blobs;
        this.progress = progress;
    }

    void fetch(RegistryClient client, Descriptor d, String what) throws ImageException {
        Digest digest = d.digest();
        try (LockFile _ = blobs.lock(digest)) {
            if (blobs.has(digest)) {
                return;
            }
            IOException last = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    fetchOnce(client, d, what);
                    return;
                } catch (IOException e) {
                    last = e; // connection dropped mid-body: the partial file lets the next attempt resume
                }
            }
            throw new RegistryException(dev.pelagos.base.ErrorKind.EXTERNAL, "download " + what + " failed: " + last.getMessage(),
                    "try the pull again; it resumes from what was downloaded", 0, last);
        } catch (IOException e) {
            throw ImageException.io("download " + what, e);
        }
    }

    private void fetchOnce(RegistryClient client, Descriptor d, String what) throws IOException, ImageException {
        Path partial = blobs.partialPath(d.digest());
        Files.createDirectories(partial.getParent());
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        if (have >= d.size()) {
            Files.deleteIfExists(partial); // complete but unverified, or oversized: start again
            have = 0;
        }
        RegistryClient.BlobStream stream = client.pullBlob(d.digest(), have);
        MessageDigest hasher = d.digest().newHasher();
        if (stream.offset() > 0) {
            hashExisting(partial, hasher);
        }
        long done = stream.offset();
        boolean oversized = false;
        progress.layer(d.digest(), ProgressListener.Phase.DOWNLOADING, done, d.size());
        try (InputStream in = stream.body();
                OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        stream.offset() > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            int r;
            long lastReport = 0;
            while ((r = in.read(buf)) > 0) {
                if (done + r > d.size()) {
                    oversized = true;
                    break;
                }
                hasher.update(buf, 0, r);
                out.write(buf, 0, r);
                done += r;
                if (done - lastReport >= (1 << 20)) {
                    progress.layer(d.digest(), ProgressListener.Phase.DOWNLOADING, done, d.size());
                    lastReport = done;
                }
            }
        }
        if (oversized) {
            Files.deleteIfExists(partial);
            throw new BlobStore.DigestMismatchException(what + " is larger than the " + d.size() + " bytes its descriptor says");
        }
        progress.layer(d.digest(), ProgressListener.Phase.DOWNLOADING, done, d.size());
        blobs.commit(partial, d.digest(), d.size(), done, hasher, what);
    }

    private static void hashExisting(Path partial, MessageDigest hasher) throws IOException {
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                hasher.update(buf, 0, r);
            }
        }
    }
}
