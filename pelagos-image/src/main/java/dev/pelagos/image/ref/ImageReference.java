package dev.pelagos.image.ref;

import dev.pelagos.image.ImageException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A normalised image reference {@code registry/repository[:tag][@digest]}, following the
 * distribution reference grammar with Docker Hub's defaults ({@code docker.io}, {@code library/},
 * {@code latest}). Parsing validates every part, so a reference is safe to put into a URL.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";

    /** A host name: dot-separated labels of letters, digits and inner hyphens; or a bracketed IPv6 literal. */
    private static final String DOMAIN = "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
            + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?";
    /** One repository path component: lower-case alphanumerics with single separators. */
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    /** A tag: a word character then up to 127 of word characters, dots and dashes. */
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:(?<domain>" + DOMAIN + ")/)?(?<path>" + COMPONENT + "(?:/" + COMPONENT + ")*)"
                    + "(?::(?<tag>" + TAG + "))?(?:@(?<digest>[a-z0-9]+:[a-zA-Z0-9]+))?");
    private static final Pattern TAG_ONLY = Pattern.compile(TAG);
    private static final Pattern COMPONENT_ONLY = Pattern.compile(COMPONENT);
    private static final Pattern DOMAIN_ONLY = Pattern.compile(DOMAIN);

    public ImageReference {
        if (registry == null || !DOMAIN_ONLY.matcher(registry).matches()) {
            throw new IllegalArgumentException("invalid registry " + registry);
        }
        for (String c : repository.split("/", -1)) {
            if (!COMPONENT_ONLY.matcher(c).matches()) {
                throw new IllegalArgumentException("invalid repository " + repository);
            }
        }
        if (tag != null && !TAG_ONLY.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag " + tag);
        }
        if (tag == null && digest == null) {
            throw new IllegalArgumentException("a reference needs a tag or a digest");
        }
    }

    /** Parses and normalises: {@code alpine} → {@code docker.io/library/alpine:latest}. */
    public static ImageReference parse(String text) throws ImageException {
        Optional<ImageReference> r = tryParse(text);
        if (r.isEmpty()) {
            throw ImageException.invalid("invalid image reference '" + text + "'",
                    "use [REGISTRY/]REPOSITORY[:TAG][@DIGEST] with a lower-case repository, e.g. alpine:3.20");
        }
        return r.get();
    }

    public static Optional<ImageReference> tryParse(String text) {
        if (text == null || text.isEmpty() || text.length() > 512) {
            return Optional.empty();
        }
        Matcher m = REFERENCE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String domain = m.group("domain");
        String path = m.group("path");
        // "foo/bar": "foo" is a registry only if it looks like a host (dot, port, localhost)
        if (domain != null && !domain.contains(".") && !domain.contains(":") && !domain.equals("localhost")
                && !domain.startsWith("[")) {
            if (!COMPONENT_ONLY.matcher(domain).matches()) {
                return Optional.empty();
            }
            path = domain + "/" + path;
            domain = null;
        }
        if (domain == null || domain.equals("index.docker.io") || domain.equals("registry-1.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (path.length() > 255) {
            return Optional.empty();
        }
        Digest digest = null;
        if (m.group("digest") != null) {
            if (!Digest.isValid(m.group("digest"))) {
                return Optional.empty();
            }
            digest = new Digest(m.group("digest").substring(0, m.group("digest").indexOf(':')),
                    m.group("digest").substring(m.group("digest").indexOf(':') + 1));
        }
        String tag = m.group("tag");
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return Optional.of(new ImageReference(domain, path, tag, digest));
    }

    /** A source annotation {@code registry/repository} (no tag) as a reference, if valid. */
    public static Optional<ImageReference> parseRepositoryName(String name) {
        return tryParse(name + ":latest");
    }

    /** True when the text names a tag or digest explicitly (so no {@code :latest} is implied). */
    public static boolean hasExplicitTagOrDigest(String text) {
        int slash = text.lastIndexOf('/');
        return text.indexOf('@') >= 0 || text.indexOf(':', slash + 1) >= 0;
    }

    /** The same repository with another tag (no digest). */
    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    /** What to ask the registry for: the digest when pinned, else the tag. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The host the registry API is served from (Docker Hub's API lives on another name). */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
