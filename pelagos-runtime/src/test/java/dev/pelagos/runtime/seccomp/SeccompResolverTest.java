package dev.pelagos.runtime.seccomp;

import static dev.pelagos.runtime.seccomp.ProfileEvaluator.CAP_SYS_ADMIN;
import static dev.pelagos.runtime.seccomp.ProfileEvaluator.CAP_SYS_PTRACE;
import static dev.pelagos.runtime.seccomp.ProfileEvaluator.DOCKER_DEFAULT_CAPS;
import static dev.pelagos.runtime.seccomp.ProfileEvaluator.KERNEL;
import static dev.pelagos.runtime.seccomp.ProfileEvaluator.PELAGOS_DEFAULT_CAPS;
import static dev.pelagos.runtime.seccomp.ProfileEvaluator.action;
import static dev.pelagos.runtime.seccomp.ProfileEvaluator.builtin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.sys.seccomp.FilterRule;
import dev.pelagos.sys.seccomp.SeccompActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeccompResolverTest {
    private static final int ALLOW = SeccompActions.ALLOW;
    private static final int EPERM = SeccompActions.errno(1);
    private static final int ENOSYS = SeccompActions.errno(38);
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long CLONE_NEWNS = 0x00020000L;
    private static final long SIGCHLD = 17;
    private static final long CLONE_THREAD_FLAGS = 0x003d0f00L;

    @ParameterizedTest
    @ValueSource(strings = {"mount", "umount2", "unshare", "setns", "bpf", "reboot", "kexec_load", "open_by_handle_at",
        "keyctl", "add_key", "request_key", "pivot_root", "init_module", "fsopen", "open_tree", "move_mount",
        "perf_event_open", "kcmp", "pidfd_getfd", "iopl", "ioperm", "settimeofday", "clock_settime", "syslog", "vhangup",
        "sethostname", "setdomainname", "userfaultfd", "io_uring_setup", "acct", "swapon", "mbind", "lookup_dcookie"})
    void withDefaultCapsPrivilegedCallsFailWithEperm(String syscall) throws Exception {
        assertThat(describe(action(builtin(PELAGOS_DEFAULT_CAPS), syscall))).isEqualTo("ERRNO(1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"read", "write", "openat", "execve", "getpid", "futex", "mmap", "exit_group", "chroot",
        "ptrace", "process_vm_readv", "arch_prctl", "modify_ldt", "name_to_handle_at", "seccomp", "landlock_create_ruleset",
        "pidfd_open", "setuid", "setgid", "capset", "prctl", "io_setup", "memfd_create", "socketcall"})
    void everydayCallsAreAllowed(String syscall) throws Exception {
        assertThat(describe(action(builtin(PELAGOS_DEFAULT_CAPS), syscall))).isEqualTo("ALLOW");
    }

    @Test
    void cloneIsAllowedOnlyWithoutNamespaceFlags() throws Exception {
        ResolvedProfile p = builtin(PELAGOS_DEFAULT_CAPS);
        assertThat(action(p, "clone", SIGCHLD)).isEqualTo(ALLOW);
        assertThat(action(p, "clone", CLONE_THREAD_FLAGS)).isEqualTo(ALLOW);
        assertThat(action(p, "clone", CLONE_NEWUSER | SIGCHLD)).isEqualTo(EPERM);
        assertThat(action(p, "clone", CLONE_NEWNS)).isEqualTo(EPERM);
        for (long flag : new long[] {0x02000000L, 0x04000000L, 0x08000000L, 0x20000000L, 0x40000000L}) {
            assertThat(action(p, "clone", flag | SIGCHLD)).as("clone flag 0x%x", flag).isEqualTo(EPERM);
        }
        assertThat(action(p, "clone3")).isEqualTo(ENOSYS);
    }

    @Test
    void onS390TheCloneFlagsAreTheSecondArgument() throws Exception {
        ResolvedProfile p = builtin(PELAGOS_DEFAULT_CAPS, NativeArch.S390X, KERNEL);
        assertThat(action(p, "clone", 0, SIGCHLD)).isEqualTo(ALLOW);
        assertThat(action(p, "clone", 0, CLONE_NEWUSER)).isEqualTo(EPERM);
        assertThat(action(p, "clone", CLONE_NEWUSER, 0)).isEqualTo(ALLOW);
        assertThat(p.program().architectures()).containsExactly("s390x", "s390");
    }

    @Test
    void capSysAdminOpensTheNamespaceAndMountCalls() throws Exception {
        ResolvedProfile p = builtin(PELAGOS_DEFAULT_CAPS | CAP_SYS_ADMIN);
        for (String call : List.of("mount", "umount2", "unshare", "setns", "fsopen", "bpf", "sethostname", "clone3")) {
            assertThat(action(p, call)).as(call).isEqualTo(ALLOW);
        }
        assertThat(action(p, "clone", CLONE_NEWUSER | CLONE_NEWNS)).isEqualTo(ALLOW);
        assertThat(action(p, "reboot")).isEqualTo(EPERM);
        assertThat(action(p, "kexec_load")).isEqualTo(EPERM);
    }

    @Test
    void otherCapabilitiesOpenTheirGroups() throws Exception {
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS | 1L << 22), "reboot")).isEqualTo(ALLOW);
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS | 1L << 16), "finit_module")).isEqualTo(ALLOW);
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS | 1L << 25), "clock_settime")).isEqualTo(ALLOW);
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS | 1L << 2), "open_by_handle_at")).isEqualTo(ALLOW);
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS | 1L << 39), "bpf")).isEqualTo(ALLOW);
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS | CAP_SYS_PTRACE), "kcmp")).isEqualTo(ALLOW);
        assertThat(action(builtin(0), "chroot")).isEqualTo(EPERM);
    }

    @Test
    void personalityAllowsOnlyTheHarmlessPersonas() throws Exception {
        ResolvedProfile p = builtin(PELAGOS_DEFAULT_CAPS);
        for (long persona : new long[] {0x0, 0x8, 0x20000, 0x20008, 0xffffffffL}) {
            assertThat(action(p, "personality", persona)).as("personality 0x%x", persona).isEqualTo(ALLOW);
        }
        for (long persona : new long[] {0x1234, 0x0400000, 0x0040000 /* ADDR_NO_RANDOMIZE */ }) {
            assertThat(action(p, "personality", persona)).as("personality 0x%x", persona).isEqualTo(EPERM);
        }
    }

    @Test
    void socketRefusesAfAlgAndAfVsockOnly() throws Exception {
        ResolvedProfile p = builtin(PELAGOS_DEFAULT_CAPS);
        assertThat(action(p, "socket", 2)).isEqualTo(ALLOW);
        assertThat(action(p, "socket", 1)).isEqualTo(ALLOW);
        assertThat(action(p, "socket", 16)).isEqualTo(ALLOW);
        assertThat(action(p, "socket", 39)).isEqualTo(ALLOW);
        assertThat(action(p, "socket", 44)).isEqualTo(ALLOW);
        assertThat(action(p, "socket", 38)).isEqualTo(EPERM);
        assertThat(action(p, "socket", 40)).isEqualTo(EPERM);
    }

    @Test
    void ptraceNeedsKernel48OrTheCapability() throws Exception {
        KernelVersion old = KernelVersion.parse("4.4.0");
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS, NativeArch.X86_64, old), "ptrace")).isEqualTo(EPERM);
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS | CAP_SYS_PTRACE, NativeArch.X86_64, old), "ptrace")).isEqualTo(ALLOW);
        assertThat(action(builtin(PELAGOS_DEFAULT_CAPS, NativeArch.X86_64, KernelVersion.parse("4.8")), "ptrace"))
                .isEqualTo(ALLOW);
    }

    @Test
    void architectureSpecificCallsFollowTheNativeArchitecture() throws Exception {
        ResolvedProfile amd64 = builtin(PELAGOS_DEFAULT_CAPS, NativeArch.X86_64, KERNEL);
        ResolvedProfile arm64 = builtin(PELAGOS_DEFAULT_CAPS, NativeArch.AARCH64, KERNEL);
        assertThat(amd64.program().architectures()).containsExactly("x86_64", "x86", "x32");
        assertThat(arm64.program().architectures()).containsExactly("aarch64", "arm");
        assertThat(action(amd64, "arch_prctl")).isEqualTo(ALLOW);
        assertThat(action(arm64, "arch_prctl")).isEqualTo(EPERM);
        assertThat(action(arm64, "set_tls")).isEqualTo(ALLOW);
        assertThat(action(amd64, "set_tls")).isEqualTo(EPERM);
        assertThat(action(amd64, "modify_ldt")).isEqualTo(ALLOW);
        assertThat(action(arm64, "modify_ldt")).isEqualTo(EPERM);
    }

    /**
     * Against the x86_64 syscall table of this machine's kernel headers: with Docker's 14 capabilities
     * everything is reachable except the 67 calls SECURITY.md §1.6 lists as denied.
     */
    @Test
    void onX8664DockerCapsReachAllButTheDocumentedDenyList() throws Exception {
        Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
        Assumptions.assumeTrue(Files.isReadable(header), "the x86_64 kernel headers (linux-libc-dev) are not installed");
        Set<String> table = new TreeSet<>();
        for (String line : Files.readAllLines(header)) {
            if (line.startsWith("#define __NR_")) {
                table.add(line.split("\\s+")[1].substring("__NR_".length()));
            }
        }
        Set<String> documentedDenied = new TreeSet<>(Arrays.asList(("_sysctl acct add_key afs_syscall bpf clock_settime "
                + "clone3 create_module delete_module fanotify_init finit_module fsconfig fsmount fsopen fspick "
                + "get_kernel_syms get_mempolicy getpmsg init_module io_uring_enter io_uring_register io_uring_setup ioperm "
                + "iopl kcmp kexec_file_load kexec_load keyctl lookup_dcookie mbind migrate_pages mount mount_setattr "
                + "move_mount move_pages nfsservctl open_by_handle_at open_tree perf_event_open pidfd_getfd pivot_root "
                + "process_madvise putpmsg query_module quotactl quotactl_fd reboot request_key security set_mempolicy "
                + "set_mempolicy_home_node setdomainname sethostname setns settimeofday swapoff swapon sysfs syslog tuxcall "
                + "umount2 unshare uselib userfaultfd ustat vhangup vserver").split(" ")));
        ResolvedProfile p = builtin(DOCKER_DEFAULT_CAPS);
        Set<String> reachable = new TreeSet<>();
        for (FilterRule rule : p.program().rules()) {
            if (rule.action() == ALLOW) {
                reachable.add(rule.syscall());
            }
        }
        List<String> denied = new ArrayList<>(table);
        denied.removeAll(reachable);
        assertThat(denied).containsExactlyInAnyOrderElementsOf(documentedDenied);
        assertThat(documentedDenied).hasSize(67);
    }

    @Test
    void rulesWithTheDefaultActionAreDroppedAndRepeatedArgumentsAreOred() throws Exception {
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [
                   {"names": ["getpid"], "action": "SCMP_ACT_ERRNO"},
                   {"names": ["write"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
                   {"names": ["kill"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_GT"}, {"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}]}
                 ]}""";
        ResolvedProfile p = SeccompResolver.resolve(SeccompProfileParser.parse(json, "t"), "t", 0, NativeArch.X86_64, KERNEL);
        assertThat(p.program().rules()).noneMatch(r -> r.syscall().equals("getpid"));
        assertThat(action(p, "write", 1)).isEqualTo(ALLOW);
        assertThat(action(p, "write", 2)).isEqualTo(ALLOW);
        assertThat(action(p, "write", 3)).isEqualTo(EPERM);
        assertThat(action(p, "kill", 100, 15)).isEqualTo(ALLOW);
        assertThat(action(p, "kill", 100, 9)).isEqualTo(EPERM);
        assertThat(action(p, "kill", 1, 15)).isEqualTo(EPERM);
        assertThat(p.program().architectures()).isEmpty();
    }

    private static String describe(int action) {
        return SeccompActions.describe(action);
    }
}
