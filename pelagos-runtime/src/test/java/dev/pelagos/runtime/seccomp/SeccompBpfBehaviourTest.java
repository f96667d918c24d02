package dev.pelagos.runtime.seccomp;

import static dev.pelagos.runtime.seccomp.ProfileEvaluator.CAP_SYS_ADMIN;
import static dev.pelagos.runtime.seccomp.ProfileEvaluator.PELAGOS_DEFAULT_CAPS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.sys.seccomp.FilterProgram;
import dev.pelagos.sys.seccomp.FilterRule;
import dev.pelagos.sys.seccomp.LibSeccomp;
import dev.pelagos.sys.seccomp.LibSeccompLocator;
import dev.pelagos.sys.seccomp.SeccompActions;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The strongest check: compile with the real libseccomp and run the exported BPF in
 * {@link BpfInterpreter} over seccomp_data for a table of syscalls. Skipped where libseccomp is missing.
 */
class SeccompBpfBehaviourTest {
    private static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int AUDIT_ARCH_ARM = 0x40000028;
    private static final int X32_SYSCALL_BIT = 0x40000000;
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long SIGCHLD = 17;

    private static LibSeccomp lib;
    private static SeccompHost host;
    private static int nativeArch;
    private static ResolvedProfile defaultResolved;
    private static BpfInterpreter defaultCaps;
    private static BpfInterpreter sysAdmin;

    @BeforeAll
    static void compile() throws Exception {
        Assumptions.assumeTrue(LibSeccompLocator.find().isPresent(), "libseccomp.so.2 is not installed here");
        host = SeccompHost.detect();
        lib = LibSeccomp.load();
        nativeArch = lib.nativeArch();
        SeccompCompiler compiler = new SeccompCompiler(() -> lib);
        defaultResolved = ProfileEvaluator.builtin(PELAGOS_DEFAULT_CAPS, host.arch(), host.kernel());
        defaultCaps = new BpfInterpreter(compiler.compile(defaultResolved).bpf());
        sysAdmin = new BpfInterpreter(compiler.compile(
                ProfileEvaluator.builtin(PELAGOS_DEFAULT_CAPS | CAP_SYS_ADMIN, host.arch(), host.kernel())).bpf());
    }

    private static int nr(String name) throws Exception {
        int nr = lib.resolveSyscall(name);
        Assumptions.assumeTrue(nr >= 0, name + " is not a syscall on this architecture");
        return nr;
    }

    private static String run(BpfInterpreter filter, String name, long... args) throws Exception {
        return SeccompActions.describe(filter.run(nr(name), nativeArch, args));
    }

    @Test
    void defaultCapabilities() throws Exception {
        assertThat(run(defaultCaps, "getpid")).isEqualTo("ALLOW");
        assertThat(run(defaultCaps, "read", 0, 0, 0)).isEqualTo("ALLOW");
        for (String denied : new String[] {"mount", "unshare", "setns", "bpf", "reboot", "kexec_load", "open_by_handle_at",
            "keyctl", "add_key", "pivot_root", "umount2", "init_module"}) {
            assertThat(run(defaultCaps, denied)).as(denied).isEqualTo("ERRNO(1)");
        }
        assertThat(run(defaultCaps, "clone", CLONE_NEWUSER | SIGCHLD)).isEqualTo("ERRNO(1)");
        assertThat(run(defaultCaps, "clone", SIGCHLD)).isEqualTo("ALLOW");
        assertThat(run(defaultCaps, "clone3")).isEqualTo("ERRNO(38)");
        assertThat(run(defaultCaps, "socket", 40, 1, 0)).isEqualTo("ERRNO(1)");
        assertThat(run(defaultCaps, "socket", 38, 5, 0)).isEqualTo("ERRNO(1)");
        assertThat(run(defaultCaps, "socket", 2, 1, 0)).isEqualTo("ALLOW");
        assertThat(run(defaultCaps, "socket", 10, 2, 0)).isEqualTo("ALLOW");
        assertThat(run(defaultCaps, "personality", 0x8)).isEqualTo("ALLOW");
        assertThat(run(defaultCaps, "personality", 0xffffffffL)).isEqualTo("ALLOW");
        assertThat(run(defaultCaps, "personality", 0x1234)).isEqualTo("ERRNO(1)");
        assertThat(run(defaultCaps, "chroot")).isEqualTo("ALLOW");
    }

    /** A number above every syscall the profile names is newer than the profile: ENOSYS, so libcs fall back. */
    @Test
    void unknownNumbersAndForeignArchitectures() throws Exception {
        assertThat(SeccompActions.describe(defaultCaps.run(1000, nativeArch))).isEqualTo("ERRNO(38)");
        assertThat(SeccompActions.describe(defaultCaps.run(-1, nativeArch))).isEqualTo("ERRNO(38)");
        // a known syscall the profile does not allow keeps the default action
        assertThat(run(defaultCaps, "mount")).isEqualTo("ERRNO(1)");
        assertThat(SeccompActions.describe(defaultCaps.run(20, AUDIT_ARCH_ARM))).isEqualTo("KILL_PROCESS");
        assertThat(SeccompActions.describe(defaultCaps.run(1000, AUDIT_ARCH_ARM))).isEqualTo("KILL_PROCESS");
    }

    @Test
    void unknownNumbersOnTheX86SubArchitecturesAreEnosysToo() throws Exception {
        Assumptions.assumeTrue(nativeArch == AUDIT_ARCH_X86_64, "i386 and x32 ride along only on x86_64");
        assertThat(SeccompActions.describe(defaultCaps.run(1000, AUDIT_ARCH_I386))).isEqualTo("ERRNO(38)");
        assertThat(SeccompActions.describe(defaultCaps.run(1000 | X32_SYSCALL_BIT, AUDIT_ARCH_X86_64))).isEqualTo("ERRNO(38)");
        // x32's own numbers run to ~547; without the bit test they would all look "new" to x86_64's bound
        int x32 = lib.resolveArch("x32");
        assertThat(SeccompActions.describe(defaultCaps.run(lib.resolveSyscall(x32, "execveat"), AUDIT_ARCH_X86_64)))
                .isEqualTo("ALLOW");
    }

    @Test
    void theX86SubArchitecturesAreFilteredToo() throws Exception {
        Assumptions.assumeTrue(nativeArch == AUDIT_ARCH_X86_64, "i386 and x32 ride along only on x86_64");
        int i386 = lib.resolveArch("x86");
        assertThat(SeccompActions.describe(defaultCaps.run(lib.resolveSyscall(i386, "getpid"), AUDIT_ARCH_I386)))
                .isEqualTo("ALLOW");
        assertThat(SeccompActions.describe(defaultCaps.run(lib.resolveSyscall(i386, "mount"), AUDIT_ARCH_I386)))
                .isEqualTo("ERRNO(1)");
        assertThat(SeccompActions.describe(defaultCaps.run(lib.resolveSyscall(i386, "unshare"), AUDIT_ARCH_I386)))
                .isEqualTo("ERRNO(1)");
        assertThat(SeccompActions.describe(defaultCaps.run(nr("getpid") | X32_SYSCALL_BIT, AUDIT_ARCH_X86_64)))
                .isEqualTo("ALLOW");
        assertThat(SeccompActions.describe(defaultCaps.run(nr("mount") | X32_SYSCALL_BIT, AUDIT_ARCH_X86_64)))
                .isEqualTo("ERRNO(1)");
    }

    @Test
    void capSysAdmin() throws Exception {
        assertThat(run(sysAdmin, "mount")).isEqualTo("ALLOW");
        assertThat(run(sysAdmin, "unshare")).isEqualTo("ALLOW");
        assertThat(run(sysAdmin, "clone", CLONE_NEWUSER | SIGCHLD)).isEqualTo("ALLOW");
        assertThat(run(sysAdmin, "clone3")).isEqualTo("ALLOW");
        assertThat(run(sysAdmin, "reboot")).isEqualTo("ERRNO(1)");
    }

    /** The binary-tree layout keeps the per-syscall cost in the kernel small and flat. */
    @Test
    void eachSyscallRunsFewInstructions() throws Exception {
        var p = defaultResolved.program();
        BpfInterpreter linear = new BpfInterpreter(lib.compile(new FilterProgram(p.defaultAction(), p.badArchAction(),
                p.architectures(), p.rules(), false)).bpf());
        int worstTree = 0;
        int worstLinear = 0;
        for (String name : new String[] {"read", "write", "futex", "epoll_wait", "openat", "mmap", "clone", "mount", "socket"}) {
            defaultCaps.run(nr(name), nativeArch, 0, 0, 0);
            linear.run(nr(name), nativeArch, 0, 0, 0);
            worstTree = Math.max(worstTree, defaultCaps.lastSteps());
            worstLinear = Math.max(worstLinear, linear.lastSteps());
        }
        System.out.printf("seccomp figures: worst per-syscall BPF steps: binary tree %d, linear %d%n", worstTree, worstLinear);
        assertThat(worstTree).isLessThan(40).isLessThan(worstLinear);
    }

    /** Every native syscall the profile names: the compiled BPF agrees with the symbolic rules. */
    @Test
    void compiledFilterAgreesWithTheResolvedRulesForEveryNamedSyscall() throws Exception {
        Set<String> names = new TreeSet<>();
        for (FilterRule rule : defaultResolved.program().rules()) {
            names.add(rule.syscall());
        }
        names.addAll(Set.of("kexec_load", "io_uring_setup", "userfaultfd", "uselib", "ustat", "_sysctl", "acct"));
        int checked = 0;
        for (String name : names) {
            int nr = lib.resolveSyscall(name);
            if (nr < 0) {
                continue;
            }
            long[] zeros = new long[6];
            assertThat(SeccompActions.describe(defaultCaps.run(nr, nativeArch, zeros))).as(name)
                    .isEqualTo(SeccompActions.describe(ProfileEvaluator.action(defaultResolved, name, zeros)));
            checked++;
        }
        assertThat(checked).isGreaterThan(250);
    }
}
