package dev.pelagos.image.registry;

import dev.pelagos.image.ref.Digest;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /v2/NAME/blobs/DIGEST, optionally from an offset (Range) to resume a download. Redirects to
 * blob storage on another host are followed without the Authorization header.
 */
final class BlobPuller {
    private BlobPuller() {
    }

    static RegistryClient.BlobStream open(RegistryTransport t, String repository, Digest digest, long offset)
            throws RegistryException {
        String action = "pull blob " + digest + " of " + repository + " from " + t.host();
        Map<String, String> headers = new HashMap<>();
        if (offset > 0) {
            headers.put("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> r = t.send(new RegistryTransport.Call("GET",
                t.uri("/v2/" + repository + "/blobs/" + digest), headers, null,
                List.of("repository:" + repository + ":pull"), action));
        if (r.statusCode() == 206 && offset > 0) {
            return new RegistryClient.BlobStream(r.body(), offset);
        }
        if (r.statusCode() == 416 && offset > 0) {
            RegistryTransport.discard(r);
            return open(t, repository, digest, 0); // what we have is not a prefix the server agrees with
        }
        if (r.statusCode() != 200) {
            throw RegistryTransport.failure(action, r.statusCode(), RegistryTransport.readError(r));
        }
        return new RegistryClient.BlobStream(r.body(), 0);
    }
}
