package dev.pelagos.runtime.seccomp;

import java.nio.file.Path;
import java.util.Objects;

/** Which seccomp filter a container gets. */
public sealed interface SeccompChoice {
    /** The built-in profile with Docker's default semantics. */
    SeccompChoice DEFAULT = new Builtin();
    /** No filter at all ({@code --security-opt seccomp=unconfined}, {@code --privileged}). */
    SeccompChoice UNCONFINED = new Unconfined();

    static SeccompChoice file(Path profile) {
        return new ProfileFile(profile);
    }

    /**
     * An OCI {@code linux.seccomp} object (or any profile already in memory), from
     * {@link SeccompProfileParser#fromJsonTree}; cached under the hash of its JSON form.
     */
    static SeccompChoice oci(SeccompProfile profile) {
        return new InMemory(profile);
    }

    record Builtin() implements SeccompChoice {
    }

    record Unconfined() implements SeccompChoice {
    }

    /** A Docker/OCI JSON profile file; its bytes are the cache identity. */
    record ProfileFile(Path path) implements SeccompChoice {
        public ProfileFile {
            Objects.requireNonNull(path, "path");
        }
    }

    record InMemory(SeccompProfile profile) implements SeccompChoice {
        public InMemory {
            Objects.requireNonNull(profile, "profile");
        }
    }
}
