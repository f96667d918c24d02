package dev.pelagos.runtime.launch;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.seccomp.SeccompChoice;
import java.util.Optional;

/** Supplies the compiled BPF filter for a container (cached; compiled only on a miss). */
public interface SeccompProvider {
    /** The filter's bytes ({@code struct sock_filter[]}), or empty for no filter. */
    Optional<byte[]> filterFor(SeccompChoice choice, long capabilityMask) throws PelagosException;
}
