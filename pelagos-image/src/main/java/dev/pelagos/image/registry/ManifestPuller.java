package dev.pelagos.image.registry;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.manifest.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** GET /v2/NAME/manifests/REF: the manifest or index bytes with their Content-Type. */
final class ManifestPuller {
    /** Manifests are small; anything bigger is refused rather than buffered. */
    static final int MAX_MANIFEST_BYTES = 4 << 20;

    private ManifestPuller() {
    }

    static RegistryClient.FetchedManifest pull(RegistryTransport t, String repository, String reference)
            throws RegistryException {
        String action = "pull manifest " + repository + ":" + reference + " from " + t.host();
        HttpResponse<InputStream> r = t.send(new RegistryTransport.Call("GET",
                t.uri("/v2/" + repository + "/manifests/" + reference), Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), null,
                List.of("repository:" + repository + ":pull"), action));
        if (r.statusCode() != 200) {
            throw RegistryTransport.failure(action, r.statusCode(), RegistryTransport.readError(r));
        }
        try (InputStream in = r.body()) {
            byte[] raw = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (raw.length > MAX_MANIFEST_BYTES) {
                throw new RegistryException(ErrorKind.EXTERNAL, action + " failed: the manifest is larger than 4 MiB", null, 200, null);
            }
            return new RegistryClient.FetchedManifest(raw, r.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException e) {
            throw new RegistryException(ErrorKind.EXTERNAL, action + " failed: " + e.getMessage(), null, 200, e);
        }
    }
}
