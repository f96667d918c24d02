package dev.pelagos.sys.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * One libseccomp rule: when {@code syscall} is called and every condition holds, take {@code action}
 * (a {@link SeccompActions} value). Conditions in one rule are ANDed; separate rules are ORed.
 */
public record FilterRule(String syscall, int action, List<ArgCondition> conditions) {
    public FilterRule {
        Objects.requireNonNull(syscall, "syscall");
        if (syscall.isBlank()) {
            throw new IllegalArgumentException("syscall name is empty");
        }
        conditions = List.copyOf(conditions);
    }

    public static FilterRule unconditional(String syscall, int action) {
        return new FilterRule(syscall, action, List.of());
    }
}
