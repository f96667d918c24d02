package dev.pelagos.image.archive;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.ImageException;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.layer.InvalidArchiveException;
import dev.pelagos.image.layer.LayerStreams;
import dev.pelagos.image.manifest.ConfigDocument;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.manifest.ManifestDocument;
import dev.pelagos.image.manifest.ManifestParser;
import dev.pelagos.image.manifest.ManifestWriter;
import dev.pelagos.image.manifest.MediaTypes;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.ref.ImageReference;
import dev.pelagos.image.ref.Platform;
import dev.pelagos.image.store.ImageIndex;
import dev.pelagos.image.store.StoreLock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Loads images from a tar: an OCI image layout ({@code image save}, {@code skopeo copy
 * oci-archive:}) or a Docker archive ({@code docker save}, {@code podman save --format
 * docker-archive}). The tar is read once as a stream: {@code blobs/sha256/<hex>} entries go
 * straight into the blob store, verified against their names; other files are hashed as they are
 * staged. Nothing is named until every blob of an image is stored and its layers unpacked.
 */
public final class ImageLoader {
    private static final Pattern BLOB = Pattern.compile("blobs/sha256/([a-f0-9]{64})");
    private static final int MAX_JSON = 8 << 20;

    private final ImageStore store;

    public ImageLoader(ImageStore store) {
        this.store = store;
    }

    /** Loads every image in the archive; {@code tag} (may be null) names a single-image archive. Returns the names. */
    public List<String> load(InputStream archive, String tag, ProgressListener progress) throws ImageException {
        try (StoreLock _ = store.writeLock()) {
            Path staging = Files.createTempDirectory(store.layoutRoot(), ".load-");
            try {
                Contents c = read(archive, staging);
                if (c.json.containsKey("oci-layout")) {
                    return loadOciLayout(c, tag, progress);
                }
                if (c.json.containsKey("manifest.json")) {
                    return loadDockerArchive(c, tag, progress);
                }
                throw ImageException.invalid("missing 'oci-layout' — not a valid OCI Image Layout archive (nor a Docker archive)",
                        "create the archive with 'pelagos image save', 'skopeo copy ... oci-archive:' or 'podman save'");
            } finally {
                dev.pelagos.image.store.LayerStore.deleteTree(staging);
            }
        } catch (IOException e) {
            throw ImageException.io("load the image archive", e);
        }
    }

    /** What the tar held: small JSON files by name, other files by name → digest (all stored as blobs). */
    private record Contents(Map<String, byte[]> json, Map<String, Digest> files) {
    }

    private Contents read(InputStream archive, Path staging) throws IOException, ImageException {
        Map<String, byte[]> json = new HashMap<>();
        Map<String, Digest> files = new HashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(archive, StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        int staged = 0;
        while ((e = tar.getNextEntry()) != null) {
            if (!e.isFile()) {
                continue;
            }
            String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
            if (name.contains("..") || name.startsWith("/")) {
                throw new InvalidArchiveException(e.getName(), "has an unsafe name");
            }
            var m = BLOB.matcher(name);
            if (m.matches()) {
                Digest d = new Digest("sha256", m.group(1));
                store.blobs().ingest(tar, d, e.getSize(), "blob " + d.shortHex() + " in the archive");
                files.put(name, d);
            } else if (name.endsWith(".json") || name.equals("oci-layout") || name.equals("repositories")) {
                if (e.getSize() > MAX_JSON) {
                    throw new InvalidArchiveException(name, "is too large for a metadata file");
                }
                byte[] content = tar.readAllBytes();
                json.put(name, content);
                files.put(name, store.blobs().put(content));
            } else {
                // a Docker archive's layer.tar: hash while staging, then store under its digest
                Path tmp = staging.resolve("f" + staged++);
                MessageDigest hasher = Digest.newSha256();
                long n;
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), hasher)) {
                    n = tar.transferTo(out);
                }
                Digest d = Digest.ofSha256(hasher);
                try (InputStream in = Files.newInputStream(tmp)) {
                    store.blobs().ingest(in, d, n, "file " + name + " in the archive");
                }
                Files.delete(tmp);
                files.put(name, d);
            }
        }
        return new Contents(json, files);
    }

    private List<String> loadOciLayout(Contents c, String tag, ProgressListener progress) throws ImageException {
        JsonObject layout = object(c.json.get("oci-layout"), "oci-layout");
        if (!(layout.get("imageLayoutVersion") instanceof JsonElement v) || !v.getAsString().equals("1.0.0")) {
            throw ImageException.invalid("unsupported OCI layout version in the archive", "expected imageLayoutVersion 1.0.0");
        }
        if (!c.json.containsKey("index.json")) {
            throw ImageException.invalid("the archive has no index.json", "it is not a complete OCI image layout");
        }
        ManifestDocument doc = ManifestParser.parse(c.json.get("index.json"), null, "index.json of the archive");
        if (!(doc instanceof ManifestDocument.Index index) || index.manifests().isEmpty()) {
            throw ImageException.invalid("index.json of the archive lists no manifests", "the archive holds no image");
        }
        if (tag != null && index.manifests().size() > 1) {
            throw ImageException.invalid("--tag needs an archive with one image, this one has " + index.manifests().size(),
                    "load without --tag");
        }
        List<String> names = new ArrayList<>();
        for (Descriptor entry : index.manifests()) {
            ManifestDocument.ImageManifest manifest = imageManifest(entry);
            String name = tag != null ? localName(tag) : nameFromAnnotations(entry);
            names.add(finish(manifest, name, progress));
        }
        return names;
    }

    private ManifestDocument.ImageManifest imageManifest(Descriptor entry) throws ImageException {
        String what = "manifest " + entry.digest().shortHex() + " in the archive";
        ManifestDocument doc = ManifestParser.parse(store.blobs().readVerified(entry.digest()), entry.mediaType(), what);
        if (doc instanceof ManifestDocument.Index nested) {
            Descriptor chosen = nested.manifests().stream().filter(d -> d.platform() != null
                    && Platform.LINUX_AMD64.accepts(d.platform().os(), d.platform().architecture(), d.platform().variant()))
                    .findFirst().orElseThrow(() -> ImageException.notFound("the archive has no linux/amd64 image", null));
            doc = ManifestParser.parse(store.blobs().readVerified(chosen.digest()), chosen.mediaType(), what);
        }
        if (!(doc instanceof ManifestDocument.ImageManifest m)) {
            throw ImageException.invalid(what + " is not an image manifest", null);
        }
        return m;
    }

    private String finish(ManifestDocument.ImageManifest manifest, String name, ProgressListener progress) throws ImageException {
        ConfigDocument config = ConfigDocument.parse(store.blobs().readVerified(manifest.config().digest()), "config of " + name);
        store.unpack(manifest, config, name, progress);
        Digest digest = store.blobs().put(manifest.raw());
        if (name == null) {
            name = digest.toString();
            store.index().update(current -> {
                current.removeIf(d -> d.digest().equals(digest) && !d.annotations().containsKey(ImageIndex.REF_NAME));
                current.add(Descriptor.of(manifest.mediaType(), digest, manifest.raw().length));
                return current;
            });
        } else {
            store.index().put(name, Descriptor.of(manifest.mediaType(), digest, manifest.raw().length), Map.of());
        }
        progress.status("Loaded " + name);
        return name;
    }

    /**
     * The image name an OCI layout entry carries: containerd's full-name annotation, else
     * {@code ref.name} when it is a full reference (a bare tag such as {@code 1.0} names nothing).
     */
    private static String nameFromAnnotations(Descriptor entry) {
        String full = entry.annotations().get("io.containerd.image.name");
        String ref = full != null ? full : entry.annotations().get(ImageIndex.REF_NAME);
        if (ref == null || (!ref.contains("/") && !ref.contains(":"))) {
            return null;
        }
        return ImageReference.tryParse(ref).isPresent() ? ref : null;
    }

    private static String localName(String tag) throws ImageException {
        String name = ImageReference.hasExplicitTagOrDigest(tag) ? tag : tag + ":latest";
        if (ImageReference.tryParse(name).isEmpty()) {
            throw ImageException.invalid("invalid image name '" + tag + "'", "use [REGISTRY/]REPOSITORY[:TAG]");
        }
        return name;
    }

    private List<String> loadDockerArchive(Contents c, String tag, ProgressListener progress) throws ImageException {
        JsonElement top = parse(c.json.get("manifest.json"), "manifest.json");
        if (!top.isJsonArray() || top.getAsJsonArray().isEmpty()) {
            throw ImageException.invalid("manifest.json of the Docker archive lists no images", null);
        }
        JsonArray images = top.getAsJsonArray();
        if (tag != null && images.size() > 1) {
            throw ImageException.invalid("--tag needs an archive with one image, this one has " + images.size(), "load without --tag");
        }
        List<String> names = new ArrayList<>();
        for (JsonElement el : images) {
            JsonObject img = el.getAsJsonObject();
            String configName = img.get("Config").getAsString();
            Digest configDigest = fileDigest(c, configName);
            List<Descriptor> layers = new ArrayList<>();
            for (JsonElement l : img.getAsJsonArray("Layers")) {
                Digest d = fileDigest(c, l.getAsString());
                Path blob = store.blobs().path(d);
                try {
                    boolean compressed = LayerStreams.isCompressed(blob);
                    layers.add(Descriptor.of(compressed ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.DOCKER_LAYER, d, Files.size(blob)));
                } catch (IOException e) {
                    throw ImageException.io("read layer " + l.getAsString() + " of the archive", e);
                }
            }
            long configSize = store.blobs().read(configDigest).length;
            byte[] raw = ManifestWriter.manifest(MediaTypes.DOCKER_MANIFEST,
                    Descriptor.of(MediaTypes.DOCKER_CONFIG, configDigest, configSize), layers);
            ManifestDocument.ImageManifest manifest = (ManifestDocument.ImageManifest) ManifestParser.parse(raw, null, "manifest");
            String name = tag != null ? localName(tag) : null;
            if (name == null && img.get("RepoTags") instanceof JsonArray tags && !tags.isEmpty()) {
                name = ImageReference.parse(tags.get(0).getAsString()).toString();
            }
            names.add(finish(manifest, name, progress));
        }
        return names;
    }

    private static Digest fileDigest(Contents c, String name) throws ImageException {
        Digest d = c.files.get(name.startsWith("./") ? name.substring(2) : name);
        if (d == null) {
            throw ImageException.invalid("the Docker archive lacks " + name, "the archive is incomplete");
        }
        return d;
    }

    private static JsonObject object(byte[] raw, String what) throws ImageException {
        JsonElement e = parse(raw, what);
        if (!e.isJsonObject()) {
            throw ImageException.invalid(what + " in the archive is not a JSON object", null);
        }
        return e.getAsJsonObject();
    }

    private static JsonElement parse(byte[] raw, String what) throws ImageException {
        try {
            return JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ImageException(ErrorKind.INVALID_INPUT, what + " in the archive is not valid JSON", null, e);
        }
    }
}
