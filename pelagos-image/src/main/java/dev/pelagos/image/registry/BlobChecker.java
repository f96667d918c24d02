package dev.pelagos.image.registry;

import dev.pelagos.image.ref.Digest;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** HEAD /v2/NAME/blobs/DIGEST: whether the registry already has a blob (404 means no). */
final class BlobChecker {
    private BlobChecker() {
    }

    static boolean exists(RegistryTransport t, String repository, Digest digest, boolean forPush) throws RegistryException {
        String action = "check blob " + digest + " in " + repository + " on " + t.host();
        HttpResponse<InputStream> r = t.send(new RegistryTransport.Call("HEAD",
                t.uri("/v2/" + repository + "/blobs/" + digest), Map.of(), null,
                List.of("repository:" + repository + (forPush ? ":pull,push" : ":pull")), action));
        RegistryTransport.discard(r);
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw RegistryTransport.failure(action, r.statusCode(), "");
    }
}
