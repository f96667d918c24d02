package dev.pelagos.image.registry;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** PUT /v2/NAME/manifests/REF with the exact bytes (the digest is over them). */
final class ManifestPusher {
    private ManifestPusher() {
    }

    static void push(RegistryTransport t, String repository, String reference, byte[] raw, String mediaType)
            throws RegistryException {
        String action = "push manifest " + repository + ":" + reference + " to " + t.host();
        HttpResponse<InputStream> r = t.send(new RegistryTransport.Call("PUT",
                t.uri("/v2/" + repository + "/manifests/" + reference), Map.of("Content-Type", mediaType),
                () -> HttpRequest.BodyPublishers.ofByteArray(raw), List.of("repository:" + repository + ":pull,push"), action));
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw RegistryTransport.failure(action, r.statusCode(), RegistryTransport.readError(r));
        }
        RegistryTransport.discard(r);
    }
}
