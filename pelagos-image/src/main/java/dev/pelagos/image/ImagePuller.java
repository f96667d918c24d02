package dev.pelagos.image;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.manifest.ConfigDocument;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.manifest.ManifestDocument;
import dev.pelagos.image.manifest.ManifestParser;
import dev.pelagos.image.manifest.MediaTypes;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.ref.ImageReference;
import dev.pelagos.image.registry.RegistryClient;
import dev.pelagos.image.store.BlobStore;
import dev.pelagos.image.store.ImageIndex;
import dev.pelagos.image.store.StoreLock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls an image from a registry into the {@link ImageStore}: manifest (a platform picked from
 * an index), config, then layers in parallel, each downloaded (resumably, digest-verified) and
 * unpacked into the shared layer directory. The image gets its name only after everything is
 * stored, so a killed pull leaves no half image, only reusable blobs.
 */
public final class ImagePuller {
    private static final int MAX_CONFIG_BYTES = 8 << 20;

    private final ImageStore store;

    public ImagePuller(ImageStore store) {
        this.store = store;
    }

    /** What a pull did. {@code upToDate}: nothing needed fetching. */
    public record PullResult(LocalImage image, int layersDownloaded, int layersCached, boolean upToDate) {
    }

    /**
     * Returns the local image for {@code ref}, pulling it per {@code policy} ({@code run} and
     * {@code compose up} call this with {@link PullPolicy#MISSING} by default).
     */
    public LocalImage ensure(String ref, PullPolicy policy, PullOptions options, ProgressListener progress)
            throws ImageException {
        if (policy != PullPolicy.ALWAYS) {
            Optional<LocalImage> local = store.find(ref);
            if (local.isPresent()) {
                return local.get();
            }
            if (policy == PullPolicy.NEVER) {
                throw ImageException.notFound("image '" + ref + "' not found locally",
                        "pull it with 'pelagos image pull " + ref + "' or use --pull=missing");
            }
        }
        return pull(ref, options, progress).image();
    }

    public PullResult pull(String text, PullOptions options, ProgressListener progress) throws ImageException {
        ImageReference ref = ImageReference.parse(text);
        String name = ref.toString();
        if (ref.digest() != null) {
            Optional<LocalImage> local = store.find(name);
            if (local.isPresent() && complete(local.get())) {
                progress.status("Already present: " + name);
                return new PullResult(local.get(), 0, local.get().diffIds().size(), true);
            }
        }
        progress.status("Pulling " + name + "...");
        RegistryClient client = RegistryClient.connect(ref, options.insecure(), options.credentials());
        try (StoreLock _ = store.writeLock()) {
            ManifestDocument.ImageManifest manifest = resolveManifest(client, ref, options);
            Digest manifestDigest = manifest.digest();
            progress.status("Manifest: " + manifestDigest + " (" + manifest.layers().size() + " layers)");
            checkLayers(manifest, name);
            ConfigDocument config = fetchConfig(client, manifest, name, progress);
            if (config.diffIds().size() != manifest.layers().size()) {
                throw new ImageException(ErrorKind.EXTERNAL, "invalid image " + name + ": the config lists "
                        + config.diffIds().size() + " layers but the manifest " + manifest.layers().size(),
                        "the image is malformed; check its source");
            }
            LayerFetcher.Counts counts = new LayerFetcher(store, new BlobDownloader(store.blobs(), progress), progress,
                    options.parallelDownloads()).fetchAll(client, manifest.layers(), config.diffIds(), name);
            store.blobs().put(manifest.raw());
            store.index().put(name, Descriptor.of(manifest.mediaType(), manifestDigest, manifest.raw().length),
                    Map.of(ImageIndex.SOURCE, ref.name()));
            progress.status("Done: " + counts.downloaded() + " layers downloaded, " + counts.cached() + " cached");
            LocalImage image = store.find(name).orElseThrow(() -> new ImageException(ErrorKind.INTERNAL,
                    "pulled image " + name + " vanished from the store", "pull it again"));
            return new PullResult(image, counts.downloaded(), counts.cached(), counts.downloaded() == 0);
        }
    }

    private boolean complete(LocalImage image) {
        return image.layerDirs().stream().allMatch(java.nio.file.Files::isDirectory);
    }

    private ManifestDocument.ImageManifest resolveManifest(RegistryClient client, ImageReference ref, PullOptions options)
            throws ImageException {
        String what = "manifest of " + ref;
        RegistryClient.FetchedManifest fetched = client.pullManifest(ref.manifestReference());
        if (ref.digest() != null) {
            verify(fetched.raw(), ref.digest(), -1, what);
        }
        ManifestDocument doc = ManifestParser.parse(fetched.raw(), fetched.contentType(), what);
        if (doc instanceof ManifestDocument.Index index) {
            Descriptor chosen = index.manifests().stream()
                    .filter(d -> d.platform() != null && options.platform().accepts(d.platform().os(),
                            d.platform().architecture(), d.platform().variant()))
                    .findFirst()
                    .orElseThrow(() -> ImageException.notFound("image " + ref + " has no variant for platform "
                            + options.platform(), "available: " + index.manifests().stream()
                            .map(d -> String.valueOf(d.platform())).toList()));
            RegistryClient.FetchedManifest inner = client.pullManifest(chosen.digest().toString());
            verify(inner.raw(), chosen.digest(), chosen.size(), what + " for " + options.platform());
            doc = ManifestParser.parse(inner.raw(), inner.contentType(), what + " for " + options.platform());
            if (!(doc instanceof ManifestDocument.ImageManifest)) {
                throw new ImageException(ErrorKind.EXTERNAL, "invalid " + what + ": an index entry points at another index",
                        "nested indexes are not supported");
            }
        }
        return (ManifestDocument.ImageManifest) doc;
    }

    private static void verify(byte[] raw, Digest expected, long size, String what) throws ImageException {
        Digest actual = expected.algorithm().equals("sha256") ? Digest.sha256(raw) : null;
        if (actual == null || !actual.equals(expected) || (size >= 0 && raw.length != size)) {
            throw new BlobStore.DigestMismatchException(what + " does not match its digest " + expected);
        }
    }

    /** Foreign layers would send us (and maybe our credentials) to another host: refused (CVE-2020-15157). */
    private static void checkLayers(ManifestDocument.ImageManifest manifest, String name) throws ImageException {
        for (Descriptor l : manifest.layers()) {
            if (!l.urls().isEmpty() || l.mediaType().contains("foreign")) {
                throw new ImageException(ErrorKind.UNSUPPORTED, "image " + name + " has a foreign layer " + l.digest()
                        + " that would be fetched from another host", "foreign layers are not pulled; use an image without them");
            }
            if (!l.mediaType().contains("tar") && !l.mediaType().startsWith("application/wasm")) {
                throw new ImageException(ErrorKind.UNSUPPORTED, "image " + name + " has a layer of unsupported type "
                        + l.mediaType(), "only tar layers (uncompressed, gzip, zstd) are supported");
            }
        }
        if (!manifest.config().mediaType().equals(MediaTypes.OCI_CONFIG)
                && !manifest.config().mediaType().equals(MediaTypes.DOCKER_CONFIG)) {
            throw new ImageException(ErrorKind.UNSUPPORTED, "image " + name + " has a config of type "
                    + manifest.config().mediaType() + ", not a container image", "pull a container image");
        }
        if (manifest.config().size() > MAX_CONFIG_BYTES) {
            throw new ImageException(ErrorKind.EXTERNAL, "image " + name + " has an oversized config", null);
        }
    }

    private ConfigDocument fetchConfig(RegistryClient client, ManifestDocument.ImageManifest manifest, String name,
            ProgressListener progress) throws ImageException {
        Descriptor c = manifest.config();
        new BlobDownloader(store.blobs(), ProgressListener.NONE).fetch(client, c, "config of " + name);
        return ConfigDocument.parse(store.blobs().read(c.digest()), "config of " + name);
    }

    static List<Descriptor> layersOf(ManifestDocument.ImageManifest m) {
        return m.layers();
    }
}
