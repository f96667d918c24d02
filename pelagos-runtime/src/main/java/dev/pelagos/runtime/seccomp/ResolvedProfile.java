package dev.pelagos.runtime.seccomp;

import dev.pelagos.sys.seccomp.FilterProgram;
import java.util.Objects;

/**
 * A profile after its conditions were evaluated for one container on one machine: concrete rules
 * for libseccomp, and the seccomp(2) flags the helper passes when it installs the filter.
 */
public record ResolvedProfile(FilterProgram program, int flags) {
    public ResolvedProfile {
        Objects.requireNonNull(program, "program");
    }
}
