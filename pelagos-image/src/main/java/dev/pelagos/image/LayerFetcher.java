package dev.pelagos.image;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.layer.LayerStreams;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brings every layer of an image into the store, several at once on virtual threads: a layer
 * already unpacked is skipped, a stored blob is only unpacked, anything else is downloaded
 * first. Downloads are limited to {@code parallel} at a time; each unpack starts as soon as its
 * download ends.
 */
final class LayerFetcher {
    private final ImageStore store;
    private final BlobDownloader downloader;
    private final ProgressListener progress;
    private final Semaphore downloadSlots;

    record Counts(int downloaded, int cached) {
    }

    LayerFetcher(ImageStore store, BlobDownloader downloader, ProgressListener progress, int parallel) {
        this.store = store;
        this.downloader = downloader;
        this.progress = progress;
        this.downloadSlots = new Semaphore(parallel);
    }

    Counts fetchAll(RegistryClient client, List<Descriptor> layers, List<Digest> diffIds, String name) throws ImageException {
        AtomicInteger downloaded = new AtomicInteger();
        AtomicInteger cached = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> jobs = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Descriptor layer = layers.get(i);
                Digest diffId = diffIds.get(i);
                String what = "layer " + layer.digest().shortHex() + " of " + name;
                if (store.layers().has(diffId)) {
                    progress.layer(layer.digest(), ProgressListener.Phase.CACHED, 0, layer.size());
                    cached.incrementAndGet();
                    continue;
                }
                progress.layer(layer.digest(), ProgressListener.Phase.WAITING, 0, layer.size());
                jobs.add(pool.submit(() -> {
                    if (!store.blobs().has(layer.digest())) {
                        downloadSlots.acquire();
                        try {
                            downloader.fetch(client, layer, what);
                        } finally {
                            downloadSlots.release();
                        }
                        downloaded.incrementAndGet();
                    } else {
                        cached.incrementAndGet();
                    }
                    progress.layer(layer.digest(), ProgressListener.Phase.EXTRACTING, 0, layer.size());
                    store.layers().unpack(diffId, () -> LayerStreams.openTar(store.blobs().path(layer.digest())), what);
                    progress.layer(layer.digest(), ProgressListener.Phase.DONE, layer.size(), layer.size());
                    return null;
                }));
            }
            ImageException first = null;
            for (Future<Void> job : jobs) {
                try {
                    job.get();
                } catch (ExecutionException e) {
                    ImageException failure = e.getCause() instanceof ImageException ie ? ie
                            : new ImageException(ErrorKind.INTERNAL, "pull " + name + " failed: " + e.getCause(), null, e.getCause());
                    if (first == null) {
                        first = failure;
                    } else {
                        first.addSuppressed(failure);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ImageException(ErrorKind.INTERNAL, "pull " + name + " was interrupted", null, e);
                }
            }
            if (first != null) {
                throw first;
            }
        }
        return new Counts(downloaded.get(), cached.get());
    }
}
