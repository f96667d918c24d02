package dev.pelagos.image.registry;

import dev.pelagos.image.ImageException;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.ref.ImageReference;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One repository on one registry, with its authentication state. Each operation is one endpoint
 * class ({@link ManifestPuller}, {@link BlobPuller}, {@link BlobChecker}, {@link BlobPusher},
 * {@link ManifestPusher}); this façade only ties them to a {@link RegistryTransport}.
 */
public final class RegistryClient {
    private final RegistryTransport transport;
    private final String repository;

    private RegistryClient(RegistryTransport transport, String repository) {
        this.transport = transport;
        this.repository = repository;
    }

    /**
     * Connects to {@code ref}'s registry. Plain HTTP only for loopback hosts or when
     * {@code insecure}; credentials: {@code explicit}, else PELAGOS_REGISTRY_USER/PASS, else the
     * Docker config (helpers, then {@code auths}), else anonymous.
     */
    public static RegistryClient connect(ImageReference ref, boolean insecure, Credentials explicit) throws ImageException {
        Credentials creds = explicit != null ? explicit : resolveCredentials(ref.registry());
        return new RegistryClient(new RegistryTransport(ref.apiHost(), insecure || isLoopback(ref.registry()), creds),
                ref.repository());
    }

    /** Checks credentials against the registry's API root (for {@code image login}). */
    public static void login(String registry, boolean insecure, Credentials credentials) throws ImageException {
        String host = registry.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
        new RegistryTransport(host, insecure || isLoopback(registry), credentials).login();
    }

    static Credentials resolveCredentials(String registry) throws ImageException {
        String user = System.getenv("PELAGOS_REGISTRY_USER");
        String pass = System.getenv("PELAGOS_REGISTRY_PASS");
        if (user != null && !user.isEmpty() && pass != null) {
            return new Credentials(user, pass);
        }
        return DockerConfig.standard().lookup(registry).orElse(null);
    }

    /** Loopback registries are reached over plain HTTP; everything else needs TLS unless insecure. */
    public static boolean isLoopback(String registry) {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}") || host.equals("[::1]");
    }

    public String repository() {
        return repository;
    }

    public String host() {
        return transport.host();
    }

    /** A manifest or index as the registry sent it. */
    public record FetchedManifest(byte[] raw, String contentType) {
    }

    /** A blob body; {@code offset} is where it starts (non-zero when the registry honoured a Range). */
    public record BlobStream(InputStream body, long offset) {
    }

    public FetchedManifest pullManifest(String reference) throws RegistryException {
        return ManifestPuller.pull(transport, repository, reference);
    }

    public BlobStream pullBlob(Digest digest, long offset) throws RegistryException {
        return BlobPuller.open(transport, repository, digest, offset);
    }

    public boolean hasBlob(Digest digest) throws RegistryException {
        return BlobChecker.exists(transport, repository, digest, true);
    }

    /** Uploads a blob, mounting it from {@code mountFrom} (another repository here) when given. */
    public void pushBlob(Digest digest, Path content, Optional<String> mountFrom) throws RegistryException {
        BlobPusher.push(transport, repository, digest, content, mountFrom.orElse(null));
    }

    public void pushManifest(String reference, byte[] raw, String mediaType) throws RegistryException {
        ManifestPusher.push(transport, repository, reference, raw, mediaType);
    }
}
