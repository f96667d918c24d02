package dev.pelagos.image;

import dev.pelagos.image.ref.Platform;
import dev.pelagos.image.registry.Credentials;

/**
 * How to pull.
 *
 * @param platform the image to pick from a multi-platform index
 * @param insecure allow plain HTTP to a non-loopback registry
 * @param credentials explicit credentials, or null to use the environment and Docker config
 * @param parallelDownloads how many layers download at once (at least 1)
 */
public record PullOptions(Platform platform, boolean insecure, Credentials credentials, int parallelDownloads) {
    public static final PullOptions DEFAULT = new PullOptions(Platform.LINUX_AMD64, false, null, 3);

    public PullOptions {
        platform = platform == null ? Platform.LINUX_AMD64 : platform;
        parallelDownloads = Math.max(1, parallelDownloads);
    }

    public PullOptions withPlatform(Platform p) {
        return new PullOptions(p, insecure, credentials, parallelDownloads);
    }

    public PullOptions withInsecure(boolean i) {
        return new PullOptions(platform, i, credentials, parallelDownloads);
    }

    public PullOptions withCredentials(Credentials c) {
        return new PullOptions(platform, insecure, c, parallelDownloads);
    }
}
