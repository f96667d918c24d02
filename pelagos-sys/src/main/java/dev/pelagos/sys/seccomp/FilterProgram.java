package dev.pelagos.sys.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * Everything libseccomp needs to build one filter, in plain values so callers can be tested without
 * native code.
 *
 * @param defaultAction action for syscalls no rule matches (a {@link SeccompActions} value)
 * @param badArchAction action for a syscall made with an architecture the filter does not cover
 * @param architectures libseccomp architecture names ({@code x86_64}, {@code x86}, {@code x32},
 *                      {@code aarch64}, ...) added next to the native one, which is always present
 * @param rules the rules, in any order
 * @param binaryTree sort the syscall checks into a binary tree (libseccomp's optimisation level 2):
 *                   a few more instructions, but each syscall runs ~15 of them instead of up to
 *                   ~600 for a Docker-sized allow-list
 */
public record FilterProgram(int defaultAction, int badArchAction, List<String> architectures, List<FilterRule> rules,
        boolean binaryTree) {
    public FilterProgram {
        Objects.requireNonNull(architectures, "architectures");
        Objects.requireNonNull(rules, "rules");
        architectures = List.copyOf(architectures);
        rules = List.copyOf(rules);
    }
}
