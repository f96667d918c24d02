package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default seccomp filter, exercised from inside a container: mount, unshare (user and mount
 * namespaces), setns, keyctl, reboot, sethostname, clone with CLONE_NEWNS and socket(AF_VSOCK) fail
 * with EPERM; getpid, personality(query), chroot and ptrace of a sibling work (Docker's profile allows
 * ptrace on kernels since 4.8), an unsupported personality is refused. With
 * seccomp=unconfined the calls that only the filter stops go through. A failure means the filter is
 * missing, is the reference's short deny-list, or breaks ordinary programs.
 */
class SeccompIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
    }

    /** Runs every syscall test in one container (busybox loops over the probe) and returns name to answer. */
    private static Map<String, String> tryAll(List<String> options, List<String> names) {
        String script = "for s in " + String.join(" ", names) + "; do echo \"$s $(/probe syscall $s)\"; done";
        Pelagos.Result r = pelagos.runIn(Pelagos.busyboxRootfs(), options, "/bin/sh", "-c", script);
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        Map<String, String> out = new LinkedHashMap<>();
        r.out().lines().forEach(l -> {
            int sp = l.indexOf(' ');
            out.put(l.substring(0, sp), l.substring(sp + 1));
        });
        assertThat(out.keySet()).containsExactlyElementsOf(names);
        return out;
    }

    @Test
    void dangerousCallsAreDeniedWithEperm() {
        List<String> denied = List.of("mount", "unshare-user", "unshare-ns", "setns", "keyctl", "reboot", "clone-newns",
                "socket-vsock", "personality-bad", "sethostname");
        Map<String, String> r = tryAll(List.of(), denied);
        r.forEach((name, answer) -> assertThat(answer).as(name).isEqualTo("EPERM 1"));
    }

    @Test
    void ordinaryCallsAreAllowed() {
        Map<String, String> r = tryAll(List.of(), List.of("getpid", "personality-query", "chroot", "ptrace"));
        assertThat(r.get("getpid")).isEqualTo("ok");
        assertThat(r.get("personality-query")).isEqualTo("ok");
        // chroot is allowed for CAP_SYS_CHROOT, one of the defaults (the reference denied it)
        assertThat(r.get("chroot")).isEqualTo("ok");
        // Docker's profile allows ptrace on kernels >= 4.8 (SECURITY.md §1.6); here the probe seizes the shell (PID 1)
        assertThat(r.get("ptrace")).isEqualTo("ok");
    }

    /**
     * A syscall number above everything the profile names is newer than the profile: ENOSYS (so a
     * libc falls back, as from clone3 to clone), while a known syscall the profile leaves out keeps
     * the default EPERM.
     */
    @Test
    void syscallsNewerThanTheProfileFailWithEnosys() {
        Map<String, String> r = tryAll(List.of(), List.of("nr:1000", "nr:100000", "mount"));
        assertThat(r.get("nr:1000")).isEqualTo("ENOSYS 38");
        assertThat(r.get("nr:100000")).isEqualTo("ENOSYS 38");
        assertThat(r.get("mount")).isEqualTo("EPERM 1");
    }

    /** Calls that no capability guards: only the filter stopped them, so unconfined lets them through. */
    @Test
    void unconfinedRemovesTheFilterOnly() {
        Map<String, String> r = tryAll(List.of("--security-opt", "seccomp=unconfined"),
                List.of("socket-vsock", "personality-bad", "keyctl", "mount"));
        assertThat(r.get("socket-vsock")).isNotEqualTo("EPERM 1");
        assertThat(r.get("personality-bad")).isNotEqualTo("EPERM 1");
        assertThat(r.get("keyctl")).isNotEqualTo("EPERM 1");
        // mount still needs CAP_SYS_ADMIN, which the container does not have
        assertThat(r.get("mount")).isEqualTo("EPERM 1");
    }
}
