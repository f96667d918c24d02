package dev.pelagos.runtime.seccomp;

import dev.pelagos.sys.seccomp.CompareOp;
import dev.pelagos.sys.seccomp.SeccompActions;
import java.util.Locale;
import java.util.Set;

/** The profile vocabulary ({@code SCMP_ACT_*}, {@code SCMP_CMP_*}, {@code SCMP_ARCH_*}, filter flags) as values. */
final class SeccompNames {
    static final int EPERM = 1;

    /** libseccomp's architecture names; the profile spells them {@code SCMP_ARCH_} + upper case. */
    private static final Set<String> ARCHITECTURES = Set.of("x86", "x86_64", "x32", "arm", "aarch64", "mips", "mips64",
            "mips64n32", "mipsel", "mipsel64", "mipsel64n32", "ppc", "ppc64", "ppc64le", "s390", "s390x", "parisc",
            "parisc64", "riscv64", "loongarch64", "m68k", "sh", "sheb");

    /** seccomp(2) {@code SECCOMP_FILTER_FLAG_*} bits the helper may pass when it installs the filter. */
    static final int FLAG_TSYNC = 1;
    static final int FLAG_LOG = 2;
    static final int FLAG_SPEC_ALLOW = 4;
    static final int FLAG_WAIT_KILLABLE_RECV = 32;

    private SeccompNames() {
    }

    /** The action value for an {@code SCMP_ACT_*} name and the optional errno it returns. */
    static int action(String name, Integer errnoRet) {
        if (name == null) {
            throw new IllegalArgumentException("the action is missing");
        }
        boolean takesErrno = name.equals("SCMP_ACT_ERRNO") || name.equals("SCMP_ACT_TRACE");
        if (errnoRet != null && !takesErrno) {
            throw new IllegalArgumentException("errnoRet is only valid with SCMP_ACT_ERRNO and SCMP_ACT_TRACE, not " + name);
        }
        if (errnoRet != null && (errnoRet < 0 || errnoRet > SeccompActions.MAX_DATA)) {
            throw new IllegalArgumentException("errnoRet " + errnoRet + " is outside 0.." + SeccompActions.MAX_DATA);
        }
        int errno = errnoRet == null ? EPERM : errnoRet;
        return switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> SeccompActions.KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> SeccompActions.KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> SeccompActions.TRAP;
            case "SCMP_ACT_ERRNO" -> SeccompActions.errno(errno);
            case "SCMP_ACT_TRACE" -> SeccompActions.trace(errno);
            case "SCMP_ACT_ALLOW" -> SeccompActions.ALLOW;
            case "SCMP_ACT_LOG" -> SeccompActions.LOG;
            case "SCMP_ACT_NOTIFY" -> throw new UnsupportedOperationException(
                    "SCMP_ACT_NOTIFY (a user-space seccomp agent) is not supported");
            default -> throw new IllegalArgumentException("unknown action " + name);
        };
    }

    static CompareOp operator(String name) {
        if (name == null) {
            throw new IllegalArgumentException("the op is missing");
        }
        return switch (name) {
            case "SCMP_CMP_NE" -> CompareOp.NE;
            case "SCMP_CMP_LT" -> CompareOp.LT;
            case "SCMP_CMP_LE" -> CompareOp.LE;
            case "SCMP_CMP_EQ" -> CompareOp.EQ;
            case "SCMP_CMP_GE" -> CompareOp.GE;
            case "SCMP_CMP_GT" -> CompareOp.GT;
            case "SCMP_CMP_MASKED_EQ" -> CompareOp.MASKED_EQ;
            default -> throw new IllegalArgumentException("unknown op " + name);
        };
    }

    /** {@code SCMP_ARCH_X86_64} → {@code x86_64}. */
    static String architecture(String name) {
        String prefix = "SCMP_ARCH_";
        if (name != null && name.startsWith(prefix)) {
            String arch = name.substring(prefix.length()).toLowerCase(Locale.ROOT);
            if (ARCHITECTURES.contains(arch)) {
                return arch;
            }
        }
        throw new IllegalArgumentException("unknown architecture " + name);
    }

    static int flag(String name) {
        if (name == null) {
            throw new IllegalArgumentException("a flag is null");
        }
        return switch (name) {
            case "SECCOMP_FILTER_FLAG_TSYNC" -> FLAG_TSYNC;
            case "SECCOMP_FILTER_FLAG_LOG" -> FLAG_LOG;
            case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> FLAG_SPEC_ALLOW;
            case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" -> FLAG_WAIT_KILLABLE_RECV;
            default -> throw new IllegalArgumentException("unsupported flag " + name);
        };
    }
}
