package dev.pelagos.image.archive;

import dev.pelagos.image.ImageException;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.LocalImage;
import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.layer.LayerStreams;
import dev.pelagos.image.manifest.ConfigDocument;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.manifest.ManifestDocument;
import dev.pelagos.image.manifest.ManifestParser;
import dev.pelagos.image.manifest.ManifestWriter;
import dev.pelagos.image.manifest.MediaTypes;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.ref.ImageReference;
import dev.pelagos.image.store.StoreLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code image import TAR NAME}: a root filesystem tarball (plain, gzip or zstd) becomes a
 * one-layer image with a minimal config (linux/amd64, the standard PATH).
 */
public final class RootfsImporter {
    private final ImageStore store;

    public RootfsImporter(ImageStore store) {
        this.store = store;
    }

    public LocalImage importTar(Path tarball, String name, ProgressListener progress) throws ImageException {
        String local = ImageReference.hasExplicitTagOrDigest(name) ? name : name + ":latest";
        if (ImageReference.tryParse(local).isEmpty() || local.contains("@")) {
            throw ImageException.invalid("invalid image name '" + name + "'", "use [REGISTRY/]REPOSITORY[:TAG]");
        }
        if (!Files.isRegularFile(tarball)) {
            throw ImageException.notFound("rootfs tarball " + tarball + " not found", "give the path of a .tar, .tar.gz or .tar.zst file");
        }
        try (StoreLock _ = store.writeLock()) {
            Digest blob;
            long size = Files.size(tarball);
            try (InputStream in = Files.newInputStream(tarball)) {
                MessageDigest h = Digest.newSha256();
                new DigestInputStream(in, h).transferTo(java.io.OutputStream.nullOutputStream());
                blob = Digest.ofSha256(h);
            }
            try (InputStream in = Files.newInputStream(tarball)) {
                store.blobs().ingest(in, blob, size, "rootfs tarball " + tarball);
            }
            Digest diffId;
            try (InputStream tar = LayerStreams.openTar(store.blobs().path(blob))) {
                MessageDigest h = Digest.newSha256();
                new DigestInputStream(tar, h).transferTo(java.io.OutputStream.nullOutputStream());
                diffId = Digest.ofSha256(h);
            }
            String mediaType;
            try (InputStream in = Files.newInputStream(store.blobs().path(blob))) {
                byte[] m = in.readNBytes(4);
                mediaType = m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b ? MediaTypes.OCI_LAYER_GZIP
                        : m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 ? MediaTypes.OCI_LAYER_ZSTD
                        : MediaTypes.OCI_LAYER;
            }
            byte[] configJson = ConfigDocument.minimalJson(List.of(diffId), Instant.now().toString(),
                    "pelagos image import " + tarball.getFileName()).getBytes(StandardCharsets.UTF_8);
            Digest configDigest = store.blobs().put(configJson);
            byte[] raw = ManifestWriter.manifest(MediaTypes.OCI_MANIFEST,
                    Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configJson.length),
                    List.of(Descriptor.of(mediaType, blob, size)));
            ManifestDocument.ImageManifest manifest = (ManifestDocument.ImageManifest) ManifestParser.parse(raw, null, "manifest");
            store.unpack(manifest, ConfigDocument.parse(configJson, "config"), local, progress);
            Digest digest = store.blobs().put(raw);
            store.index().put(local, Descriptor.of(MediaTypes.OCI_MANIFEST, digest, raw.length), Map.of());
            return store.get(local);
        } catch (IOException e) {
            throw ImageException.io("import " + tarball, e);
        }
    }
}
