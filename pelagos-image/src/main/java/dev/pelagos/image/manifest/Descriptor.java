package dev.pelagos.image.manifest;

import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.ref.Platform;
import java.util.List;
import java.util.Map;

/**
 * A content descriptor: what a manifest or index says about a blob. {@code urls} are kept only so
 * callers can refuse them: foreign layers are never fetched (CVE-2020-15157).
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, List<String> urls,
        Map<String, String> annotations) {
    public Descriptor {
        if (size < 0) {
            throw new IllegalArgumentException("negative size in descriptor " + digest);
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, List.of(), Map.of());
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, platform, urls, newAnnotations);
    }
}
