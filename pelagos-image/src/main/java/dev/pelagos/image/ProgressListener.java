package dev.pelagos.image;

import dev.pelagos.image.ref.Digest;

/**
 * Progress of a pull, push, load or import. The library never prints; front ends render these
 * (bars on a terminal, lines otherwise, nothing when quiet). Calls arrive from several threads at
 * once (layers are fetched in parallel), so implementations must be thread-safe.
 */
public interface ProgressListener {
    /** Ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };

    /** What a layer (or other blob) is doing. */
    enum Phase {
        /** Already in the store: nothing to do. */
        CACHED,
        /** Waiting for a download slot. */
        WAITING,
        DOWNLOADING,
        /** Being sent to a registry. */
        UPLOADING,
        EXTRACTING,
        /** Pushed, or already on the registry. */
        PUSHED,
        DONE
    }

    /** A step of the whole operation, e.g. {@code Pulling 127.0.0.1:5000/app:1...}. */
    default void status(String message) {
    }

    /**
     * A blob changed phase or made progress.
     *
     * @param done bytes so far in this phase (downloading); 0 otherwise
     * @param total the blob's size, or -1 when unknown
     */
    default void layer(Digest digest, Phase phase, long done, long total) {
    }
}
