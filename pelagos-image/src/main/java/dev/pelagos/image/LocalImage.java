package dev.pelagos.image;

import dev.pelagos.image.manifest.ConfigDocument;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.manifest.ManifestDocument.ImageManifest;
import dev.pelagos.image.ref.Digest;
import java.nio.file.Path;
import java.util.List;

/**
 * An image in the local store.
 *
 * @param reference the local name it was found under, e.g. {@code docker.io/library/alpine:latest}
 * @param digest the image manifest's digest
 * @param layerDirs unpacked layer directories, bottom to top (overlay wants them top first:
 *        reverse this list for {@code lowerdir})
 */
public record LocalImage(String reference, Digest digest, ImageManifest manifest, ConfigDocument configDocument,
        List<Path> layerDirs) {
    public LocalImage {
        layerDirs = List.copyOf(layerDirs);
    }

    public ImageConfig config() {
        return configDocument.config();
    }

    public List<Digest> diffIds() {
        return configDocument.diffIds();
    }

    /** Compressed size of the layers, as a registry would count it. */
    public long size() {
        return manifest.layers().stream().mapToLong(Descriptor::size).sum();
    }

    /** {@code linux}, or {@code wasm} when the only layer is a Wasm module (REFERENCE §1.2 TYPE column). */
    public String type() {
        return manifest.layers().size() == 1 && manifest.layers().getFirst().mediaType().startsWith("application/wasm")
                ? "wasm" : "linux";
    }
}
