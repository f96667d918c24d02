package dev.pelagos.sys.seccomp;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled filter: classic BPF instructions ({@code struct sock_filter}, 8 bytes each, native byte
 * order) exactly as {@code seccomp_export_bpf} writes them, ready for {@code SECCOMP_SET_MODE_FILTER}.
 *
 * @param bpf the program
 * @param unknownSyscalls rule names this libseccomp does not know on any architecture; they were
 *                        skipped, as runc does, so those syscalls take the default action
 * @param highestSyscalls for each architecture in the filter (libseccomp's token, {@code SCMP_ARCH_*}),
 *                        the largest syscall number any rule names there, as libseccomp numbers it
 *                        (x32's carry the 0x40000000 bit); an architecture no rule names is absent
 */
public record CompiledFilter(byte[] bpf, List<String> unknownSyscalls, Map<Integer, Integer> highestSyscalls) {
    /** {@code sizeof(struct sock_filter)}. */
    public static final int INSTRUCTION_SIZE = 8;
    /** The kernel's {@code BPF_MAXINSNS}: a longer classic program is refused. */
    public static final int MAX_INSTRUCTIONS = 4096;

    public CompiledFilter {
        Objects.requireNonNull(bpf, "bpf");
        if (!isWellFormed(bpf)) {
            throw new IllegalArgumentException("a seccomp BPF program of " + bpf.length + " bytes is not 1.."
                    + MAX_INSTRUCTIONS + " instructions of " + INSTRUCTION_SIZE + " bytes");
        }
        unknownSyscalls = List.copyOf(unknownSyscalls);
        highestSyscalls = Map.copyOf(highestSyscalls);
    }

    /** A filter whose rules' syscall ranges are not known (nothing can be said about newer syscalls). */
    public CompiledFilter(byte[] bpf, List<String> unknownSyscalls) {
        this(bpf, unknownSyscalls, Map.of());
    }

    public int instructionCount() {
        return bpf.length / INSTRUCTION_SIZE;
    }

    /** Whether {@code bpf} has a length the kernel can accept: whole instructions, 1..BPF_MAXINSNS. */
    public static boolean isWellFormed(byte[] bpf) {
        return bpf.length > 0 && bpf.length % INSTRUCTION_SIZE == 0 && bpf.length / INSTRUCTION_SIZE <= MAX_INSTRUCTIONS;
    }
}
