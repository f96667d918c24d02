package dev.pelagos.image.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pelagos.image.ref.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process registry speaking enough of the distribution API for component tests: manifests,
 * blobs (with Range), uploads (POST + PUT, cross-repo mount), and three auth modes (none, Basic,
 * Bearer with a token endpoint). It can redirect blob downloads to a second server standing in for
 * blob storage, and serve a corrupted blob.
 */
public final class FakeRegistry implements AutoCloseable {
    public enum Auth { NONE, BASIC, BEARER }

    /** One request as the server saw it. */
    public record Seen(String method, String path, String query, String authorization, String range) {
    }

    private final HttpServer server;
    private final HttpServer storage;
    private final Auth auth;
    private final String user;
    private final String password;
    public final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    public final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    public final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    /** Which repository has which blob (HEAD answers per repository, as a real registry does). */
    public final java.util.Set<String> repoBlobs = ConcurrentHashMap.newKeySet();
    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    public final List<Seen> storageSeen = new CopyOnWriteArrayList<>();
    public volatile boolean redirectBlobs;
    public volatile String corruptBlob;
    /** Close the connection after this many body bytes of the next blob download (simulated network cut). */
    public volatile int cutAfter = -1;
    private final Map<String, ByteCollector> uploads = new ConcurrentHashMap<>();
    private final AtomicInteger uploadIds = new AtomicInteger();

    private static final class ByteCollector {
        final String repo;

        ByteCollector(String repo) {
            this.repo = repo;
        }
    }

    public FakeRegistry(Auth auth, String user, String password) throws IOException {
        this.auth = auth;
        this.user = user;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        storage.createContext("/", this::handleStorage);
        storage.start();
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stores a manifest under repo:tag and under repo@digest. */
    public void putManifest(String repo, String tag, byte[] raw, String mediaType) {
        String digest = Digest.sha256(raw).toString();
        for (String ref : new String[] {tag, digest}) {
            manifests.put(repo + ":" + ref, raw);
            manifestTypes.put(repo + ":" + ref, mediaType);
        }
    }

    public void putBlob(String repo, byte[] content) {
        blobs.put(Digest.sha256(content).toString(), content);
        repoBlobs.add(repo + "@" + Digest.sha256(content));
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String query = x.getRequestURI().getRawQuery();
        String authz = x.getRequestHeaders().getFirst("Authorization");
        seen.add(new Seen(x.getRequestMethod(), path, query, authz, x.getRequestHeaders().getFirst("Range")));
        try (x) {
            if (path.equals("/token")) {
                token(x, authz);
                return;
            }
            if (!authorised(authz)) {
                String challenge = auth == Auth.BASIC ? "Basic realm=\"fake\""
                        : "Bearer realm=\"http://" + host() + "/token\",service=\"fake\"";
                x.getResponseHeaders().add("WWW-Authenticate", challenge);
                send(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                return;
            }
            route(x, path, query);
        }
    }

    private boolean authorised(String authz) {
        return switch (auth) {
            case NONE -> true;
            case BASIC -> basic().equals(authz);
            case BEARER -> authz != null && authz.startsWith("Bearer tok-");
        };
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void token(HttpExchange x, String authz) throws IOException {
        if (user != null && !basic().equals(authz)) {
            send(x, 401, "{\"details\":\"incorrect username or password\"}");
            return;
        }
        send(x, 200, "{\"token\":\"tok-" + Integer.toHexString(String.valueOf(x.getRequestURI().getQuery()).hashCode()) + "\"}");
    }

    private void route(HttpExchange x, String path, String query) throws IOException {
        if (path.equals("/v2/")) {
            send(x, 200, "{}");
            return;
        }
        int m = path.indexOf("/manifests/");
        int b = path.indexOf("/blobs/uploads/");
        int bl = path.indexOf("/blobs/");
        if (m > 0) {
            String repo = path.substring(4, m);
            String ref = path.substring(m + "/manifests/".length());
            if (x.getRequestMethod().equals("PUT")) {
                byte[] body = x.getRequestBody().readAllBytes();
                putManifest(repo, ref, body, x.getRequestHeaders().getFirst("Content-Type"));
                send(x, 201, "");
                return;
            }
            byte[] raw = manifests.get(repo + ":" + ref);
            if (raw == null) {
                send(x, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
                return;
            }
            x.getResponseHeaders().add("Content-Type", manifestTypes.get(repo + ":" + ref));
            x.sendResponseHeaders(200, raw.length);
            x.getResponseBody().write(raw);
        } else if (b > 0) {
            upload(x, path.substring(4, b), path.substring(b + "/blobs/uploads/".length()), query);
        } else if (bl > 0) {
            String digest = path.substring(bl + "/blobs/".length());
            byte[] content = blobs.get(digest);
            if (content == null) {
                send(x, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}");
                return;
            }
            if (x.getRequestMethod().equals("HEAD")) {
                if (!repoBlobs.contains(path.substring(4, bl) + "@" + digest)) {
                    x.sendResponseHeaders(404, -1);
                    return;
                }
                x.getResponseHeaders().add("Content-Length", String.valueOf(content.length));
                x.sendResponseHeaders(200, -1);
                return;
            }
            if (redirectBlobs) {
                x.getResponseHeaders().add("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/store/" + digest);
                x.sendResponseHeaders(307, -1);
                return;
            }
            serveBlob(x, digest, content);
        } else {
            send(x, 404, "");
        }
    }

    private void upload(HttpExchange x, String repo, String id, String query) throws IOException {
        Map<String, String> q = parseQuery(query);
        if (x.getRequestMethod().equals("POST")) {
            if (q.containsKey("mount") && repoBlobs.contains(q.get("from") + "@" + q.get("mount"))) {
                repoBlobs.add(repo + "@" + q.get("mount"));
                send(x, 201, "");
                return;
            }
            String newId = "u" + uploadIds.incrementAndGet();
            uploads.put(newId, new ByteCollector(repo));
            x.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + newId);
            x.sendResponseHeaders(202, -1);
            return;
        }
        ByteCollector upload = x.getRequestMethod().equals("PUT") ? uploads.remove(id) : null;
        if (upload != null) {
            repo = upload.repo;
            byte[] body = x.getRequestBody().readAllBytes();
            String digest = Digest.sha256(body).toString();
            if (!digest.equals(q.get("digest"))) {
                send(x, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"digest mismatch\"}]}");
                return;
            }
            blobs.put(digest, body);
            repoBlobs.add(repo + "@" + digest);
            send(x, 201, "");
            return;
        }
        send(x, 404, "");
    }

    private void handleStorage(HttpExchange x) throws IOException {
        try (x) {
            storageSeen.add(new Seen(x.getRequestMethod(), x.getRequestURI().getPath(), null,
                    x.getRequestHeaders().getFirst("Authorization"), x.getRequestHeaders().getFirst("Range")));
            String digest = x.getRequestURI().getPath().substring("/store/".length());
            byte[] content = blobs.get(digest);
            if (content == null) {
                send(x, 404, "");
                return;
            }
            serveBlob(x, digest, content);
        }
    }

    private void serveBlob(HttpExchange x, String digest, byte[] content) throws IOException {
        byte[] body = content;
        if (digest.equals(corruptBlob)) {
            body = content.clone();
            body[body.length / 2] ^= 0x55;
        }
        String range = x.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            x.sendResponseHeaders(206, body.length - from);
        } else {
            x.sendResponseHeaders(200, body.length);
        }
        OutputStream out = x.getResponseBody();
        int cut = cutAfter;
        if (cut >= 0 && body.length - from > cut) {
            cutAfter = -1;
            out.write(body, from, Math.min(cut, body.length - from));
            out.flush();
            throw new IOException("simulated network cut");
        }
        out.write(body, from, body.length - from);
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new ConcurrentHashMap<>();
        if (query == null) {
            return out;
        }
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            x.getResponseBody().write(b);
        }
    }

    public List<Seen> requests(String method, String pathPart) {
        List<Seen> out = new ArrayList<>();
        for (Seen s : seen) {
            if (s.method().equals(method) && s.path().contains(pathPart)) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        storage.stop(0);
    }
}
