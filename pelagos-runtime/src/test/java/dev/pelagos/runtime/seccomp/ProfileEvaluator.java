package dev.pelagos.runtime.seccomp;

import dev.pelagos.sys.seccomp.ArgCondition;
import dev.pelagos.sys.seccomp.FilterRule;
import java.util.Set;
import java.util.TreeSet;

/** Evaluates a resolved profile's rules symbolically (by name), to test resolution without native code. */
final class ProfileEvaluator {
    static final long PELAGOS_DEFAULT_CAPS = 0x800405fbL;
    static final long DOCKER_DEFAULT_CAPS = 0xa80425fbL;
    static final long CAP_SYS_ADMIN = 1L << 21;
    static final long CAP_SYS_PTRACE = 1L << 19;
    static final KernelVersion KERNEL = KernelVersion.parse("6.18.44");

    private ProfileEvaluator() {
    }

    static ResolvedProfile builtin(long caps, NativeArch arch, KernelVersion kernel) throws Exception {
        SeccompProfile profile = SeccompProfileParser.parse(BuiltinProfile.bytes(), BuiltinProfile.SOURCE);
        return SeccompResolver.resolve(profile, BuiltinProfile.SOURCE, caps, arch, kernel);
    }

    static ResolvedProfile builtin(long caps) throws Exception {
        return builtin(caps, NativeArch.X86_64, KERNEL);
    }

    /** The action the rules give; every matching rule must agree, as libseccomp would refuse a conflict. */
    static int action(ResolvedProfile profile, String syscall, long... args) {
        Set<Integer> actions = new TreeSet<>();
        for (FilterRule rule : profile.program().rules()) {
            if (rule.syscall().equals(syscall) && rule.conditions().stream().allMatch(c -> holds(c, args))) {
                actions.add(rule.action());
            }
        }
        if (actions.isEmpty()) {
            return profile.program().defaultAction();
        }
        if (actions.size() > 1) {
            throw new AssertionError(syscall + " matches rules with different actions " + actions);
        }
        return actions.iterator().next();
    }

    private static boolean holds(ArgCondition c, long[] args) {
        long v = c.index() < args.length ? args[c.index()] : 0;
        return switch (c.op()) {
            case NE -> v != c.value();
            case LT -> Long.compareUnsigned(v, c.value()) < 0;
            case LE -> Long.compareUnsigned(v, c.value()) <= 0;
            case EQ -> v == c.value();
            case GE -> Long.compareUnsigned(v, c.value()) >= 0;
            case GT -> Long.compareUnsigned(v, c.value()) > 0;
            case MASKED_EQ -> (v & c.value()) == c.valueTwo();
        };
    }
}
