package dev.pelagos.image.registry;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.ref.Digest;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Uploads a blob: first a cross-repository mount when the blob is known to live in another
 * repository of the same registry (201 means done), else POST to open an upload session and one
 * PUT with the content and its digest (the monolithic upload every registry supports).
 */
final class BlobPusher {
    private BlobPusher() {
    }

    static void push(RegistryTransport t, String repository, Digest digest, Path content, String mountFrom)
            throws RegistryException {
        String action = "push blob " + digest + " to " + repository + " on " + t.host();
        List<String> scopes = new ArrayList<>(List.of("repository:" + repository + ":pull,push"));
        String query = "";
        if (mountFrom != null && !mountFrom.equals(repository)) {
            scopes.add("repository:" + mountFrom + ":pull");
            query = "?mount=" + digest + "&from=" + URLEncoder.encode(mountFrom, StandardCharsets.UTF_8);
        }
        HttpResponse<InputStream> start = t.send(new RegistryTransport.Call("POST",
                t.uri("/v2/" + repository + "/blobs/uploads/" + query), Map.of(),
                HttpRequest.BodyPublishers::noBody, scopes, action));
        if (start.statusCode() == 201) {
            RegistryTransport.discard(start);
            return; // mounted
        }
        if (start.statusCode() != 202) {
            throw RegistryTransport.failure(action, start.statusCode(), RegistryTransport.readError(start));
        }
        RegistryTransport.discard(start);
        String location = start.headers().firstValue("Location").orElseThrow(() -> new RegistryException(ErrorKind.EXTERNAL,
                action + " failed: the registry gave no upload location", null, 202, null));
        URI upload = start.uri().resolve(location);
        if (!upload.getRawAuthority().equalsIgnoreCase(t.host())) {
            throw new RegistryException(ErrorKind.EXTERNAL, action + " failed: the registry sent the upload to another host ("
                    + upload.getAuthority() + ")", null, 202, null);
        }
        String sep = upload.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(upload + sep + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
        HttpResponse<InputStream> done = t.send(new RegistryTransport.Call("PUT", put,
                Map.of("Content-Type", "application/octet-stream"), () -> {
                    try {
                        return HttpRequest.BodyPublishers.ofFile(content);
                    } catch (FileNotFoundException e) {
                        throw new IllegalStateException("blob " + content + " vanished during push", e);
                    }
                }, List.of("repository:" + repository + ":pull,push"), action));
        if (done.statusCode() != 201) {
            throw RegistryTransport.failure(action, done.statusCode(), RegistryTransport.readError(done));
        }
        RegistryTransport.discard(done);
    }
}
