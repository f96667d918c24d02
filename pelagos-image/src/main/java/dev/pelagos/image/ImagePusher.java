package dev.pelagos.image;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.ref.ImageReference;
import dev.pelagos.image.registry.Credentials;
import dev.pelagos.image.registry.RegistryClient;
import dev.pelagos.image.store.ImageIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushes a local image: each blob the registry lacks is uploaded (or mounted from the repository
 * the image was pulled from, when that is on the same registry), then the manifest, byte for byte,
 * so the pushed digest equals the local one.
 */
public final class ImagePusher {
    private final ImageStore store;

    public ImagePusher(ImageStore store) {
        this.store = store;
    }

    /** Where the image went and its manifest digest. */
    public record PushResult(String destination, String digest) {
    }

    /**
     * @param destination where to push, or null for the image's own name (normalised)
     */
    public PushResult push(String source, String destination, boolean insecure, Credentials credentials,
            ProgressListener progress) throws ImageException {
        Descriptor entry = store.findEntry(source).orElseThrow(() -> ImageException.notFound(
                "image '" + source + "' not found locally", "see 'pelagos image ls'"));
        LocalImage image = store.load(entry);
        ImageReference dest = ImageReference.parse(destination != null ? destination : image.reference());
        if (dest.tag() == null) {
            throw ImageException.invalid("push destination '" + dest + "' needs a tag", "add :TAG to the destination");
        }
        Optional<String> mountFrom = Optional.ofNullable(entry.annotations().get(ImageIndex.SOURCE))
                .flatMap(ImageReference::parseRepositoryName)
                .filter(src -> src.registry().equals(dest.registry()) && !src.repository().equals(dest.repository()))
                .map(ImageReference::repository);
        progress.status("Pushing " + image.reference() + " to " + dest + "...");
        RegistryClient client = RegistryClient.connect(dest, insecure, credentials);
        List<Descriptor> blobs = new ArrayList<>(image.manifest().layers());
        blobs.add(image.manifest().config());
        for (Descriptor b : blobs) {
            if (!store.blobs().has(b.digest())) {
                throw new ImageException(ErrorKind.NOT_FOUND, "blob " + b.digest() + " of " + image.reference()
                        + " is missing from the store", "re-pull or rebuild the image, then push again");
            }
            if (client.hasBlob(b.digest())) {
                progress.layer(b.digest(), ProgressListener.Phase.CACHED, b.size(), b.size());
                continue;
            }
            progress.layer(b.digest(), ProgressListener.Phase.UPLOADING, 0, b.size());
            client.pushBlob(b.digest(), store.blobs().path(b.digest()), mountFrom);
            progress.layer(b.digest(), ProgressListener.Phase.PUSHED, b.size(), b.size());
        }
        client.pushManifest(dest.tag(), image.manifest().raw(), image.manifest().mediaType());
        progress.status("Pushed " + dest + " (" + image.digest() + ")");
        return new PushResult(dest.toString(), image.digest().toString());
    }
}
