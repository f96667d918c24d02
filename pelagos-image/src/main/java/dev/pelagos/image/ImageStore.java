package dev.pelagos.image;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.image.manifest.ConfigDocument;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.manifest.ManifestDocument;
import dev.pelagos.image.manifest.ManifestParser;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.ref.ImageReference;
import dev.pelagos.image.store.BlobStore;
import dev.pelagos.image.store.ImageIndex;
import dev.pelagos.image.store.LayerStore;
import dev.pelagos.image.store.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local image store under a data directory: {@code <data>/images} is an OCI image layout
 * (blobs, index.json naming the images), {@code <data>/layers/<diff-id hex>} holds unpacked layers
 * shared by all images. Opening and {@link #find} touch no network classes and read three small
 * JSON files.
 */
public final class ImageStore {
    private final Path layoutRoot;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final ImageIndex index;

    private ImageStore(Path dataDir) {
        this.layoutRoot = dataDir.resolve("images");
        this.blobs = new BlobStore(layoutRoot);
        this.layers = new LayerStore(dataDir.resolve("layers"));
        this.index = new ImageIndex(layoutRoot);
    }

    /** Opens (creating on first write) the store under {@code dataDir}, e.g. /var/lib/pelagos. */
    public static ImageStore open(Path dataDir) {
        return new ImageStore(dataDir);
    }

    public BlobStore blobs() {
        return blobs;
    }

    public LayerStore layers() {
        return layers;
    }

    public ImageIndex index() {
        return index;
    }

    public Path layoutRoot() {
        return layoutRoot;
    }

    /** Shared lock held by anything that adds blobs or names (see {@link StoreLock}). */
    public StoreLock writeLock() throws ImageException {
        try {
            ensureLayout();
            return StoreLock.shared(layoutRoot);
        } catch (IOException e) {
            throw ImageException.io("lock the image store " + layoutRoot, e);
        }
    }

    private void ensureLayout() throws IOException {
        Path marker = layoutRoot.resolve("oci-layout");
        if (!Files.exists(marker)) {
            AtomicFiles.write(marker, "{\"imageLayoutVersion\":\"1.0.0\"}");
        }
    }

    /**
     * The names tried for {@code text}, in order (DECISIONS §A5): the local name as written
     * ({@code myapp} → {@code myapp:latest}), then the normalised registry name
     * ({@code docker.io/library/myapp:latest}).
     */
    public static List<String> candidateNames(String text) {
        List<String> names = new ArrayList<>();
        names.add(ImageReference.hasExplicitTagOrDigest(text) ? text : text + ":latest");
        ImageReference.tryParse(text).map(ImageReference::toString).filter(n -> !names.contains(n)).ifPresent(names::add);
        return names;
    }

    /** Finds a local image by name, by manifest digest, or by a unique digest prefix of 12+ hex digits. */
    public Optional<LocalImage> find(String text) throws ImageException {
        Optional<Descriptor> entry = findEntry(text);
        return entry.isEmpty() ? Optional.empty() : Optional.of(load(entry.get()));
    }

    /** Like {@link #find} but a missing image is an error telling the user to pull it. */
    public LocalImage get(String text) throws ImageException {
        return find(text).orElseThrow(() -> ImageException.notFound("image '" + text + "' not found locally",
                "run 'pelagos image pull " + text + "'"));
    }

    public Optional<Descriptor> findEntry(String text) throws ImageException {
        List<Descriptor> entries = index.entries();
        for (String name : candidateNames(text)) {
            for (Descriptor d : entries) {
                if (name.equals(d.annotations().get(ImageIndex.REF_NAME))) {
                    return Optional.of(d);
                }
            }
        }
        String hex = text.startsWith("sha256:") ? text.substring(7) : text;
        if (hex.length() >= 12 && hex.matches("[a-f0-9]+")) {
            List<Descriptor> hits = entries.stream().filter(d -> d.digest().hex().startsWith(hex)).toList();
            if (!hits.isEmpty() && hits.stream().map(Descriptor::digest).distinct().count() == 1) {
                return Optional.of(hits.getFirst());
            }
        }
        return Optional.empty();
    }

    /** Every named image, in the order they were recorded. */
    public List<LocalImage> list() throws ImageException {
        List<LocalImage> out = new ArrayList<>();
        for (Descriptor d : index.entries()) {
            out.add(load(d));
        }
        return out;
    }

    /** Reads an index entry's manifest and config. */
    public LocalImage load(Descriptor entry) throws ImageException {
        String name = entry.annotations().getOrDefault(ImageIndex.REF_NAME, entry.digest().toString());
        ManifestDocument doc = ManifestParser.parse(blobs.read(entry.digest()), entry.mediaType(), "manifest of " + name);
        if (!(doc instanceof ManifestDocument.ImageManifest manifest)) {
            throw ImageException.invalid("local image '" + name + "' names an index, not an image manifest",
                    "remove it with 'pelagos image rm " + name + "' and pull it again");
        }
        ConfigDocument config = ConfigDocument.parse(blobs.read(manifest.config().digest()), "config of " + name);
        List<Path> dirs = new ArrayList<>();
        for (Digest diffId : config.diffIds()) {
            dirs.add(layers.dir(diffId));
        }
        return new LocalImage(name, entry.digest(), manifest, config, dirs);
    }

    /**
     * Unpacks every layer of a stored manifest whose blobs are all in the store (load, import);
     * layers already unpacked are skipped.
     */
    public void unpack(ManifestDocument.ImageManifest manifest, ConfigDocument config, String name, ProgressListener progress)
            throws ImageException {
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new ImageException(dev.pelagos.base.ErrorKind.INVALID_INPUT, "invalid image " + name + ": the config lists "
                    + config.diffIds().size() + " layers but the manifest " + manifest.layers().size(),
                    "the image is malformed; check its source");
        }
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor layer = manifest.layers().get(i);
            if (!blobs.has(layer.digest())) {
                throw ImageException.notFound("layer " + layer.digest() + " of " + name + " is missing",
                        "the archive is incomplete");
            }
            progress.layer(layer.digest(), ProgressListener.Phase.EXTRACTING, 0, layer.size());
            layers.unpack(config.diffIds().get(i), () -> dev.pelagos.image.layer.LayerStreams.openTar(blobs.path(layer.digest())),
                    "layer " + layer.digest().shortHex() + " of " + name);
            progress.layer(layer.digest(), ProgressListener.Phase.DONE, layer.size(), layer.size());
        }
    }

    /** Names {@code image} also as {@code target} ({@code :latest} added when no tag). Returns the new name. */
    public String tag(String source, String target) throws ImageException {
        Descriptor entry = findEntry(source).orElseThrow(() -> ImageException.notFound(
                "image '" + source + "' not found locally", "see 'pelagos image ls'"));
        String name = ImageReference.hasExplicitTagOrDigest(target) ? target : target + ":latest";
        if (ImageReference.tryParse(name).isEmpty() || name.contains("@")) {
            throw ImageException.invalid("invalid image name '" + target + "'",
                    "use [REGISTRY/]REPOSITORY[:TAG] with a lower-case repository");
        }
        Map<String, String> extra = new LinkedHashMap<>(entry.annotations());
        extra.remove(ImageIndex.REF_NAME);
        extra.remove(ImageIndex.RECORDED);
        try (StoreLock _ = writeLock()) {
            index.put(name, entry, extra);
        }
        return name;
    }

    /** Removes a name (the blobs and layers stay until {@link #prune}). Returns the removed name. */
    public String remove(String text) throws ImageException {
        Descriptor entry = findEntry(text).orElseThrow(() -> ImageException.notFound(
                "image '" + text + "' not found locally", "see 'pelagos image ls'"));
        String name = entry.annotations().get(ImageIndex.REF_NAME);
        index.update(current -> {
            current.removeIf(d -> d.digest().equals(entry.digest()) && java.util.Objects.equals(name,
                    d.annotations().get(ImageIndex.REF_NAME)));
            return current;
        });
        return name == null ? entry.digest().toString() : name;
    }

    /** What {@link #prune} removed. */
    public record PruneResult(List<String> images, int blobs, int layers, long bytes) {
    }

    /**
     * Removes unnamed images (all images with {@code all}, except names in {@code keep}), then every
     * blob and unpacked layer no remaining image uses, and leftovers of killed pulls.
     */
    public PruneResult prune(boolean all, Set<String> keep) throws ImageException {
        try {
            ensureLayout();
            try (StoreLock _ = StoreLock.exclusive(layoutRoot)) {
                List<String> removed = new ArrayList<>();
                index.update(current -> {
                    List<Descriptor> kept = new ArrayList<>();
                    for (Descriptor d : current) {
                        String name = d.annotations().get(ImageIndex.REF_NAME);
                        if (name == null || (all && !keep.contains(name))) {
                            removed.add(name == null ? d.digest().toString() : name);
                        } else {
                            kept.add(d);
                        }
                    }
                    return kept;
                });
                Set<Digest> liveBlobs = new HashSet<>();
                Set<Digest> liveLayers = new HashSet<>();
                for (Descriptor d : index.entries()) {
                    liveBlobs.add(d.digest());
                    try {
                        LocalImage img = load(d);
                        liveBlobs.add(img.manifest().config().digest());
                        img.manifest().layers().forEach(l -> liveBlobs.add(l.digest()));
                        liveLayers.addAll(img.diffIds());
                    } catch (ImageException e) {
                        // a damaged image keeps nothing alive beyond its manifest
                    }
                }
                long bytes = 0;
                int blobCount = 0;
                for (Digest b : blobs.all()) {
                    if (!liveBlobs.contains(b)) {
                        bytes += blobs.size(b);
                        blobs.delete(b);
                        blobCount++;
                    }
                }
                int layerCount = 0;
                for (Digest l : layers.all()) {
                    if (!liveLayers.contains(l)) {
                        bytes += layers.diskUsage(l);
                        layers.delete(l);
                        layerCount++;
                    }
                }
                blobs.removeStalePartials();
                return new PruneResult(removed, blobCount, layerCount, bytes);
            }
        } catch (IOException e) {
            throw ImageException.io("prune the image store " + layoutRoot, e);
        }
    }

    /** Space used by the store, for {@code system df}. */
    public record DiskUsage(int images, long blobBytes, long layerBytes, long reclaimableBytes) {
    }

    public DiskUsage diskUsage() throws ImageException {
        try {
            List<LocalImage> images = list();
            Set<Digest> liveLayers = new HashSet<>();
            Set<Digest> liveBlobs = new HashSet<>();
            for (LocalImage i : images) {
                liveLayers.addAll(i.diffIds());
                liveBlobs.add(i.digest());
                liveBlobs.add(i.manifest().config().digest());
                i.manifest().layers().forEach(l -> liveBlobs.add(l.digest()));
            }
            long blobBytes = 0;
            long layerBytes = 0;
            long reclaimable = 0;
            for (Digest b : blobs.all()) {
                long s = blobs.size(b);
                blobBytes += s;
                reclaimable += liveBlobs.contains(b) ? 0 : s;
            }
            for (Digest l : layers.all()) {
                long s = layers.diskUsage(l);
                layerBytes += s;
                reclaimable += liveLayers.contains(l) ? 0 : s;
            }
            return new DiskUsage(images.size(), blobBytes, layerBytes, reclaimable);
        } catch (IOException e) {
            throw ImageException.io("measure the image store " + layoutRoot, e);
        }
    }
}
