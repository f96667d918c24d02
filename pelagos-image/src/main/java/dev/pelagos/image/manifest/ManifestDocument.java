package dev.pelagos.image.manifest;

import dev.pelagos.image.ref.Digest;
import java.util.List;

/** A parsed manifest-like document: either one image's manifest or an index of manifests. */
public sealed interface ManifestDocument permits ManifestDocument.ImageManifest, ManifestDocument.Index {
    String mediaType();

    /** The exact bytes the document was parsed from (its digest is over these). */
    byte[] raw();

    default Digest digest() {
        return Digest.sha256(raw());
    }

    /** One image: a config blob and layers bottom to top. */
    record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers, byte[] raw)
            implements ManifestDocument {
        public ImageManifest {
            layers = List.copyOf(layers);
        }
    }

    /** A manifest list / OCI index: one entry per platform. */
    record Index(String mediaType, List<Descriptor> manifests, byte[] raw) implements ManifestDocument {
        public Index {
            manifests = List.copyOf(manifests);
        }
    }
}
