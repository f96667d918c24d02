package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every default of DECISIONS §A1, observed from inside a container by the static probe: the 11
 * capabilities and nothing inheritable or ambient, no_new_privs, a seccomp filter, six fresh
 * namespaces, PID 1, the short id as host name, Docker's masked and read-only kernel paths, a
 * read-only /sys, the OCI /dev, only stdio open, umask 022 and cwd /. A failure means a container
 * started with plain `pelagos run` is less isolated than we promise — treat it as a security bug.
 */
class DefaultsIT {
    @TempDir
    static Path tmp;
    /** DECISIONS §A1 (Docker's lists), written out here so the test checks the promise, not our constant. */
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
            "/sys/devices/virtual/powercap", "/sys/firmware");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private static Pelagos pelagos;
    private static JsonObject report;

    @BeforeAll
    static void runProbeOnce() {
        pelagos = new Pelagos(tmp);
        report = pelagos.probe(List.of()).json();
    }

    @AfterAll
    static void nothingLeft() {
        if (pelagos != null) {
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static String s(String field) {
        return report.get(field).getAsString();
    }

    /** Capability sets: bounding = permitted = effective = the 11 defaults, inheritable and ambient empty. */
    @Test
    void capabilities() {
        assertThat(s("CapEff")).isEqualTo("00000000800405fb");
        assertThat(s("CapPrm")).isEqualTo("00000000800405fb");
        assertThat(s("CapBnd")).isEqualTo("00000000800405fb");
        assertThat(s("CapInh")).isEqualTo("0000000000000000");
        assertThat(s("CapAmb")).isEqualTo("0000000000000000");
    }

    /** no_new_privs is set and a seccomp filter (mode 2) is installed. */
    @Test
    void noNewPrivsAndSeccomp() {
        assertThat(s("NoNewPrivs")).isEqualTo("1");
        assertThat(s("Seccomp")).isEqualTo("2");
    }

    /** mnt, pid, uts, ipc, cgroup and net are new; user and time are the host's (no user namespace when rootful). */
    @Test
    void namespacesDifferFromTheHost() throws IOException {
        JsonObject ns = report.getAsJsonObject("namespaces");
        for (String n : List.of("mnt", "pid", "uts", "ipc", "cgroup", "net")) {
            assertThat(ns.get(n).getAsString()).as(n).isNotEmpty().isNotEqualTo(hostNamespace(n));
        }
        assertThat(ns.get("user").getAsString()).isEqualTo(hostNamespace("user"));
    }

    @Test
    void theCommandIsPid1AndRoot() {
        assertThat(report.get("pid").getAsInt()).isEqualTo(1);
        assertThat(report.get("uid").getAsInt()).isZero();
        assertThat(report.get("gid").getAsInt()).isZero();
        JsonArray groups = report.getAsJsonArray("groups");
        assertThat(groups.size()).isEqualTo(1);
        assertThat(groups.get(0).getAsInt()).isZero();
    }

    @Test
    void umaskAndCwd() {
        assertThat(report.get("umask").getAsInt()).isEqualTo(0022);
        assertThat(s("cwd")).isEqualTo("/");
    }

    /** Only stdin, stdout and stderr are open: no descriptor of the runtime leaks in (CVE-2024-21626 class). */
    @Test
    void onlyStdioIsOpen() {
        List<Integer> fds = new ArrayList<>();
        report.getAsJsonArray("fds").forEach(e -> fds.add(e.getAsJsonObject().get("fd").getAsInt()));
        assertThat(fds).containsExactlyInAnyOrder(0, 1, 2);
    }

    /** The default host name is the container's 12-character short id (the state directory's name starts with it). */
    @Test
    void hostnameIsTheShortId() throws IOException {
        Pelagos.Result r = pelagos.run("run", "--rootfs", Pelagos.probeRootfs().toString(), "/probe");
        try {
            String hostname = r.field("hostname");
            assertThat(hostname).matches("[0-9a-f]{12}");
            List<Path> states;
            try (var s = Files.list(pelagos.runtimeDir().resolve("containers"))) {
                states = s.toList();
            }
            assertThat(states).hasSize(1);
            assertThat(states.getFirst().getFileName().toString()).matches("[0-9a-f]{64}").startsWith(hostname);
        } finally {
            pelagos.removeState();
        }
    }

    /**
     * Docker's masked paths that exist on this kernel are covered: files by the null device
     * (reads give nothing), directories by an empty read-only tmpfs.
     */
    @Test
    void maskedPathsAreMasked() {
        List<String> mounts = pelagos.probe(List.of()).mounts();
        int checked = 0;
        for (String p : MASKED_PATHS) {
            if (!Files.exists(Path.of(p))) {
                continue;
            }
            checked++;
            assertThat(mountAt(mounts, p)).as("a mask mounted on %s", p).isNotNull();
        }
        assertThat(checked).as("masked paths present on this host").isPositive();
        if (Files.exists(Path.of("/proc/timer_list"))) {
            assertThat(pelagos.probe(List.of(), "read", "/proc/timer_list").out()).isEmpty();
        }
        if (Files.isDirectory(Path.of("/sys/firmware"))) {
            Pelagos.Result ls = pelagos.probe(List.of(), "ls", "/sys/firmware");
            assertThat(ls.code()).isZero();
            assertThat(ls.out()).isEmpty();
            assertThat(mountAt(mounts, "/sys/firmware")).contains(" ro,").contains("tmpfs");
        }
    }

    /** /proc/bus, /proc/fs, /proc/irq, /proc/sys and /proc/sysrq-trigger are read-only: opening for write fails with EROFS. */
    @Test
    void readOnlyPathsAreReadOnly() {
        List<String> mounts = pelagos.probe(List.of()).mounts();
        for (String p : READONLY_PATHS) {
            if (Files.exists(Path.of(p))) {
                String m = mountAt(mounts, p);
                assertThat(m).as("a read-only mount on %s", p).isNotNull();
                assertThat(mountOptions(m)).as("mount options of %s", p).startsWith("ro");
            }
        }
        // open for write only (never write): core_pattern is a host-wide upcall
        assertThat(pelagos.probe(List.of(), "openw", "/proc/sys/kernel/core_pattern").line()).isEqualTo("EROFS 30");
        if (Files.exists(Path.of("/proc/sysrq-trigger"))) {
            assertThat(pelagos.probe(List.of(), "openw", "/proc/sysrq-trigger").line()).isEqualTo("EROFS 30");
        }
    }

    /** /sys is mounted read-only. */
    @Test
    void sysIsReadOnly() {
        List<String> mounts = pelagos.probe(List.of()).mounts();
        String sys = mountAt(mounts, "/sys");
        assertThat(sys).isNotNull().contains(" - sysfs ");
        assertThat(mountOptions(sys)).startsWith("ro");
        String knob = "/sys/kernel/mm/transparent_hugepage/enabled";
        assumeTrue(Files.exists(Path.of(knob)), knob + " does not exist on this kernel");
        assertThat(pelagos.probe(List.of(), "openw", knob).line()).isEqualTo("EROFS 30");
    }

    /** /dev holds exactly the OCI nodes (right major:minor, 0666), the standard links, pts, shm and mqueue. */
    @Test
    void devContents() {
        Pelagos.Result ls = pelagos.probe(List.of(), "ls", "/dev");
        Set<String> lines = new TreeSet<>(ls.out().lines().toList());
        assertThat(lines).containsExactlyInAnyOrder(
                "null chr 666 1:3", "zero chr 666 1:5", "full chr 666 1:7", "random chr 666 1:8", "urandom chr 666 1:9",
                "tty chr 666 5:0",
                "fd link 777 -> /proc/self/fd", "stdin link 777 -> /proc/self/fd/0", "stdout link 777 -> /proc/self/fd/1",
                "stderr link 777 -> /proc/self/fd/2", "ptmx link 777 -> pts/ptmx",
                "pts dir 755", "shm dir 1777", "mqueue dir 1777");
        List<String> mounts = pelagos.probe(List.of()).mounts();
        assertThat(mountAt(mounts, "/dev")).contains(" - tmpfs ");
        assertThat(mountAt(mounts, "/dev/pts")).contains(" - devpts ");
        assertThat(mountAt(mounts, "/dev/shm")).contains(" - tmpfs ");
        assertThat(mountAt(mounts, "/dev/mqueue")).contains(" - mqueue ");
        assertThat(mountAt(mounts, "/proc")).contains(" - proc ");
    }

    static String hostNamespace(String n) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/" + n)).toString();
    }

    /** The last mountinfo line whose mount point is {@code point} (the top of the stack), or null. */
    static String mountAt(List<String> mountinfo, String point) {
        String found = null;
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(point)) {
                found = line;
            }
        }
        return found;
    }

    /** The per-mount options (field 6) of a mountinfo line. */
    static String mountOptions(String mountinfoLine) {
        return mountinfoLine.split(" ")[5];
    }
}
