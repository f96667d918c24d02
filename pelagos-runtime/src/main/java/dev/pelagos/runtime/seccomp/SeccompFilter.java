package dev.pelagos.runtime.seccomp;

import dev.pelagos.sys.seccomp.CompiledFilter;
import java.util.Objects;

/**
 * What the helper installs right before execve: the classic BPF program ({@code struct sock_filter}
 * array, 8 bytes per instruction, native byte order) and the seccomp(2) {@code SECCOMP_FILTER_FLAG_*}
 * bits to pass with it (0 for Docker profiles without {@code flags}).
 */
public record SeccompFilter(byte[] bpf, int flags) {
    public SeccompFilter {
        Objects.requireNonNull(bpf, "bpf");
        if (!CompiledFilter.isWellFormed(bpf)) {
            throw new IllegalArgumentException("a seccomp BPF program of " + bpf.length + " bytes is malformed");
        }
    }

    public int instructionCount() {
        return bpf.length / CompiledFilter.INSTRUCTION_SIZE;
    }
}
