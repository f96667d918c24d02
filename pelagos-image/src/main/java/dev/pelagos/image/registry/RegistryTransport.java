package dev.pelagos.image.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.base.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The shared machinery of every registry request: the auth handshake (anonymous or with
 * credentials, Bearer tokens per scope or Basic), manual redirects that drop the Authorization
 * header when they leave the registry host, and retries with backoff for transient failures.
 */
final class RegistryTransport {
    private static final int ATTEMPTS = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static volatile HttpClient shared;

    private final String host;
    private final boolean plainHttp;
    private final Credentials credentials;
    private final Map<String, String> authorizationByScope = new ConcurrentHashMap<>();
    private volatile Challenge challenge;

    RegistryTransport(String host, boolean plainHttp, Credentials credentials) {
        this.host = host;
        this.plainHttp = plainHttp;
        this.credentials = credentials;
    }

    static HttpClient client() {
        HttpClient c = shared;
        if (c == null) {
            synchronized (RegistryTransport.class) {
                if (shared == null) {
                    shared = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(Duration.ofSeconds(15)).version(HttpClient.Version.HTTP_1_1).build();
                }
                c = shared;
            }
        }
        return c;
    }

    URI uri(String pathAndQuery) {
        return URI.create((plainHttp ? "http://" : "https://") + host + pathAndQuery);
    }

    String host() {
        return host;
    }

    /** One HTTP exchange as the caller describes it; {@code body} is called again for each retry. */
    record Call(String method, URI uri, Map<String, String> headers, Supplier<HttpRequest.BodyPublisher> body,
            List<String> scopes, String action) {
    }

    /**
     * Sends a call, authenticating on a 401 challenge and following redirects; returns whatever
     * final response the registry gave (callers judge its status). Auth failures throw.
     */
    HttpResponse<InputStream> send(Call call) throws RegistryException {
        String scopeKey = String.join(" ", call.scopes());
        boolean authenticated = false;
        while (true) {
            HttpResponse<InputStream> r = sendFollowingRedirects(call, authorizationByScope.get(scopeKey));
            if (r.statusCode() != 401) {
                return r;
            }
            String header = r.headers().firstValue("WWW-Authenticate").orElse(null);
            discard(r);
            if (authenticated) {
                throw unauthorized(call, r.statusCode());
            }
            List<Challenge> challenges = Challenge.parse(header);
            Optional<Challenge> bearer = challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst();
            Optional<Challenge> basic = challenges.stream().filter(c -> c.scheme().equals("basic")).findFirst();
            if (bearer.isPresent()) {
                challenge = bearer.get();
                authorizationByScope.put(scopeKey, "Bearer " + fetchToken(bearer.get(), call.scopes(), call.action()));
            } else if (basic.isPresent() && credentials != null) {
                authorizationByScope.put(scopeKey, credentials.basicHeader());
            } else {
                throw unauthorized(call, 401);
            }
            authenticated = true;
        }
    }

    /** Checks the credentials against {@code /v2/} the way {@code docker login} does. */
    void login() throws RegistryException {
        HttpResponse<InputStream> r = send(new Call("GET", uri("/v2/"), Map.of(), null, List.of(), "log in to " + host));
        discard(r);
        if (r.statusCode() != 200) {
            throw failure("log in to " + host, r.statusCode(), "");
        }
    }

    private HttpResponse<InputStream> sendFollowingRedirects(Call call, String authorization) throws RegistryException {
        URI uri = call.uri();
        for (int hop = 0; hop < 6; hop++) {
            boolean sameHost = uri.getRawAuthority().equalsIgnoreCase(host);
            HttpResponse<InputStream> r = sendWithRetries(call, uri, sameHost ? authorization : null);
            int s = r.statusCode();
            boolean redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
            Optional<String> location = r.headers().firstValue("Location");
            if (!redirect || location.isEmpty() || !(call.method().equals("GET") || call.method().equals("HEAD"))) {
                return r;
            }
            discard(r);
            uri = uri.resolve(location.get());
            if (!uri.getScheme().equals("https") && !uri.getScheme().equals("http")) {
                throw new RegistryException(ErrorKind.EXTERNAL, call.action() + " failed: redirect to unsupported URL " + uri,
                        null, s, null);
            }
        }
        throw new RegistryException(ErrorKind.EXTERNAL, call.action() + " failed: too many redirects", null, 0, null);
    }

    private HttpResponse<InputStream> sendWithRetries(Call call, URI uri, String authorization) throws RegistryException {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10));
            call.headers().forEach(b::header);
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            b.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body().get());
            try {
                HttpResponse<InputStream> r = client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                boolean transientStatus = r.statusCode() == 429 || r.statusCode() == 502 || r.statusCode() == 503
                        || r.statusCode() == 504;
                if (!transientStatus || attempt == ATTEMPTS) {
                    return r;
                }
                discard(r);
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw unreachable(call, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(ErrorKind.INTERNAL, call.action() + " was interrupted", null, 0, e);
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(3);
        }
    }

    private String fetchToken(Challenge c, List<String> scopes, String action) throws RegistryException {
        String realm = c.param("realm");
        if (realm == null || !(realm.startsWith("https://") || realm.startsWith("http://"))) {
            throw new RegistryException(ErrorKind.EXTERNAL, action + " failed: the registry's token realm '" + realm + "' is not a URL",
                    null, 401, null);
        }
        StringBuilder q = new StringBuilder();
        if (c.param("service") != null) {
            q.append("service=").append(URLEncoder.encode(c.param("service"), StandardCharsets.UTF_8));
        }
        List<String> wanted = scopes.isEmpty() && c.param("scope") != null ? List.of(c.param("scope")) : scopes;
        for (String s : wanted) {
            q.append(q.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        URI uri = URI.create(realm + (q.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + q));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET();
        if (credentials != null) {
            b.header("Authorization", credentials.basicHeader());
        }
        try {
            HttpResponse<String> r = client().send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new RegistryException.UnauthorizedException(action + " failed: the token service " + uri.getHost()
                        + " refused the credentials" + (credentials == null ? "" : " of '" + credentials.username() + "'"),
                        credentials == null ? "log in first with 'pelagos image login " + host + "'"
                                : "check the user name and password", r.statusCode());
            }
            if (r.statusCode() != 200) {
                throw failure(action + " (token from " + uri.getHost() + ")", r.statusCode(), r.body());
            }
            JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
            JsonElement t = o.has("token") ? o.get("token") : o.get("access_token");
            if (t == null || !t.isJsonPrimitive() || t.getAsString().isEmpty()) {
                throw new RegistryException(ErrorKind.EXTERNAL, action + " failed: the token service sent no token", null, 200, null);
            }
            return t.getAsString();
        } catch (IOException e) {
            throw unreachable(new Call("GET", uri, Map.of(), null, List.of(), action + " (token)"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(ErrorKind.INTERNAL, action + " was interrupted", null, 0, e);
        } catch (IllegalStateException | com.google.gson.JsonParseException e) {
            throw new RegistryException(ErrorKind.EXTERNAL, action + " failed: the token service sent invalid JSON", null, 200, e);
        }
    }

    private RegistryException unauthorized(Call call, int status) {
        String who = credentials == null ? "anonymously" : "as '" + credentials.username() + "'";
        return new RegistryException.UnauthorizedException(call.action() + " failed: " + host + " denied access " + who
                + " (HTTP " + status + ")",
                credentials == null ? "log in with 'pelagos image login " + host + "'"
                        : "check the user name and password, and that the user may access this repository", status);
    }

    private RegistryException unreachable(Call call, IOException e) {
        String why = e instanceof java.net.ConnectException ? "connection refused"
                : e instanceof java.net.http.HttpTimeoutException ? "timed out"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String hint = plainHttp ? "check that the registry is running at " + host
                : "check the address; plain HTTP is used only for loopback registries or with --insecure";
        return new RegistryException(ErrorKind.EXTERNAL, call.action() + " failed: cannot reach " + call.uri().getAuthority()
                + ": " + why, hint, 0, e);
    }

    /** Builds the error for an unexpected status, naming the registry's own error codes. */
    static RegistryException failure(String action, int status, String body) {
        StringBuilder reasons = new StringBuilder();
        try {
            JsonElement e = JsonParser.parseString(body == null ? "" : body);
            if (e.isJsonObject() && e.getAsJsonObject().get("errors") instanceof com.google.gson.JsonArray errors) {
                for (JsonElement x : errors) {
                    JsonObject o = x.getAsJsonObject();
                    reasons.append(reasons.isEmpty() ? "" : ", ")
                            .append(o.has("code") ? o.get("code").getAsString() : "?")
                            .append(o.has("message") ? ": " + o.get("message").getAsString() : "");
                }
            }
        } catch (RuntimeException ignored) {
            // not the registry's JSON error format: the status alone must do
        }
        ErrorKind kind = status == 404 ? ErrorKind.NOT_FOUND : ErrorKind.EXTERNAL;
        return new RegistryException(kind, action + " failed: HTTP " + status + (reasons.isEmpty() ? "" : " (" + reasons + ")"),
                status == 404 ? "check the repository name and tag" : null, status, null);
    }

    static String readError(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static void discard(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.skip(Long.MAX_VALUE);
        } catch (IOException ignored) {
            // the connection is dropped instead of reused: harmless
        }
    }

    private static void sleep(Duration d) throws RegistryException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(ErrorKind.INTERNAL, "interrupted while waiting to retry", null, 0, e);
        }
    }

    Challenge lastChallenge() {
        return challenge;
    }
}
