package dev.pelagos.cli.it.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import dev.pelagos.cli.it.lifecycle.HostView;
import dev.pelagos.cli.it.lifecycle.PrivateCgroupParent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * cgroup limits through the CLI on this host's driver (v1 here; the v2 driver gets the same checks in
 * {@link CgroupV2CliVmIT}): every {@code run} resource flag lands in the container's own cgroup (under
 * {@code --cgroup-parent}) before its first instruction runs; memory.max kills with 137 and
 * {@code inspect} says OOMKilled; the pids limit makes fork fail; a CPU quota throttles (the
 * container's own cpu.stat); cpuset pins; the container sees its cgroup as "/" in a read-only
 * /sys/fs/cgroup; the cgroup is gone once the container is; {@code stats} reports usage against the
 * limits and {@code info} the driver; bad values get one line and create nothing. A failure means
 * resource limits that silently do not apply, or leak.
 */
class CgroupLimitsIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;
    private static PrivateCgroupParent parent;
    private static boolean v1;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
        parent = new PrivateCgroupParent("limits");
        v1 = Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
            HostView.await("the test's cgroups removed", Duration.ofSeconds(5), () -> parent.children().isEmpty());
            parent.killAndRemove();
        }
    }

    private static List<String> args(String... a) {
        List<String> l = new ArrayList<>(List.of("run", "--cgroup-parent", parent.name()));
        l.addAll(List.of(a));
        return l;
    }

    private static String probe() {
        return Pelagos.probeRootfs().toString();
    }

    /** A cgroup file of the container as seen from inside it (its cgroup is the root of the view). */
    private static String inside(String controller, String v1File, String v2File) {
        return v1 ? "/sys/fs/cgroup/" + controller + "/" + v1File : "/sys/fs/cgroup/" + v2File;
    }

    @Test
    void theMemoryLimitKillsWith137AndInspectSaysOomKilled() {
        Pelagos.Result fg = pelagos.run(args("--rm", "--memory", "32m", "--memory-swap", "32m", "--rootfs", probe(), "/probe",
                "alloc", "200"));
        assertThat(fg.code()).as("foreground OOM kill; stderr %s", fg.err()).isEqualTo(137);

        String oom = host.runDetached("--cgroup-parent", parent.name(), "--memory", "32m", "--rootfs", probe(), "/probe", "alloc", "200");
        String fine = host.runDetached("--cgroup-parent", parent.name(), "--memory", "64m", "--rootfs", probe(), "/probe", "alloc", "8");
        assertThat(pelagos.run("wait", oom, fine).out()).isEqualTo("137\n0\n");
        JsonObject s = host.state(oom);
        assertThat(s.get("ExitCode").getAsInt()).isEqualTo(137);
        assertThat(s.get("OOMKilled").getAsBoolean()).as("inspect OOMKilled after a memory.max kill").isTrue();
        assertThat(host.state(fine).get("OOMKilled").getAsBoolean()).isFalse();
        assertThat(pelagos.run("logs", fine).out()).isEqualTo("ok\n");

        // a SIGKILL that is not the OOM killer is not reported as one
        String killed = host.runDetached("--cgroup-parent", parent.name(), "--memory", "64m", "--rootfs", probe(), "/probe", "sleep", "60");
        assertThat(pelagos.run("kill", killed).code()).isZero();
        assertThat(pelagos.run("wait", killed).out()).isEqualTo("137\n");
        assertThat(host.state(killed).get("OOMKilled").getAsBoolean()).isFalse();
        assertThat(pelagos.run("rm", oom, fine, killed).code()).isZero();
    }

    @Test
    void thePidsLimitMakesForkFail() {
        Pelagos.Result r = pelagos.run(args("--rm", "--pids-limit", "5", "--rootfs", probe(), "/probe", "fork", "10"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Integer.parseInt(r.line())).as("children forked under pids.max=5 (the probe is one)").isBetween(1, 4);
        assertThat(pelagos.run(args("--rm", "--pids-limit", "50", "--rootfs", probe(), "/probe", "fork", "10")).line()).isEqualTo("10");
    }

    @Test
    void aCpuQuotaThrottles() {
        String stat = inside("cpu", "cpu.stat", "cpu.stat");
        Pelagos.Result r = pelagos.run(args("--rm", "--cpus", "0.1", "--rootfs", Pelagos.busyboxRootfs().toString(), "sh", "-c",
                "yes > /dev/null & sleep 1; kill $!; cat " + stat));
        assertThat(r.code()).as(r.err()).isZero();
        long throttled = field(r.out(), "nr_throttled");
        assertThat(throttled).as("periods throttled in 1 s at 10%% of a CPU; cpu.stat:%n%s", r.out()).isGreaterThanOrEqualTo(3);
        Pelagos.Result free = pelagos.run(args("--rm", "--rootfs", Pelagos.busyboxRootfs().toString(), "sh", "-c",
                "yes > /dev/null & sleep 0.5; kill $!; cat " + stat));
        assertThat(field(free.out(), "nr_throttled")).as("control: no quota, no throttling").isZero();
    }

    private static long field(String stat, String name) {
        return stat.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> Long.parseLong(l.split(" ")[1])).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + stat));
    }

    @Test
    void cpusetPins() {
        for (String cpu : List.of("0", "1")) {
            Pelagos.Result r = pelagos.run(args("--rm", "--cpuset-cpus", cpu, "--rootfs", probe(), "/probe", "read", "/proc/self/status"));
            assertThat(r.out().lines().filter(l -> l.startsWith("Cpus_allowed_list:")).toList()).containsExactly("Cpus_allowed_list:\t" + cpu);
        }
    }

    @Test
    void everyFlagLandsInTheContainersCgroupBeforeItRuns() throws Exception {
        // the probe's first action reads the limit: it was in place before the program started
        String limit = inside("memory", "memory.limit_in_bytes", "memory.max");
        assertThat(pelagos.run(args("--rm", "--memory", "48m", "--rootfs", probe(), "/probe", "read", limit)).line()).isEqualTo("50331648");
        assertThat(pelagos.run(args("--rm", "--pids-limit", "9", "--rootfs", probe(), "/probe", "read", inside("pids", "pids.max", "pids.max")))
                .line()).isEqualTo("9");

        String dev = Files.isDirectory(Path.of("/sys/block/vda")) ? "/dev/vda" : null;
        List<String> a = new ArrayList<>(List.of("--cgroup-parent", parent.name(), "--memory", "64m", "--memory-reservation", "32m",
                "--cpu-shares", "512", "--cpu-quota", "20000", "--cpu-period", "50000", "--cpuset-cpus", "1", "--cpuset-mems", "0",
                "--pids-limit", "33", "--blkio-weight", "300", "--oom-score-adj", "500"));
        if (dev != null) {
            a.addAll(List.of("--device-read-bps", dev + ":1mb", "--device-write-iops", dev + ":100", "--device-write-bps", dev + ":2mb",
                    "--device-read-iops", dev + ":200"));
        }
        a.addAll(List.of("--rootfs", probe(), "/probe", "sleep", "60"));
        String id = host.runDetached(a.toArray(String[]::new));
        long pid = host.pidFile(id).pid();
        assertThat(HostView.v1OrV2CgroupOf(pid)).isEqualTo("/" + parent.name() + "/" + id);
        assertThat(HostView.read(Path.of("/proc/" + pid + "/oom_score_adj"))).isEqualTo("500");
        if (v1) {
            Map<String, String> expected = new java.util.LinkedHashMap<>(Map.of(
                    "memory/memory.limit_in_bytes", "67108864", "memory/memory.soft_limit_in_bytes", "33554432",
                    "cpu/cpu.shares", "512", "cpu/cpu.cfs_quota_us", "20000", "cpu/cpu.cfs_period_us", "50000",
                    "cpuset/cpuset.cpus", "1", "cpuset/cpuset.mems", "0", "pids/pids.max", "33"));
            if (dev != null) {
                String majMin = HostView.read(Path.of("/sys/block/vda/dev"));
                expected.put("blkio/blkio.throttle.read_bps_device", majMin + " 1048576");
                expected.put("blkio/blkio.throttle.write_iops_device", majMin + " 100");
                expected.put("blkio/blkio.throttle.write_bps_device", majMin + " 2097152");
                expected.put("blkio/blkio.throttle.read_iops_device", majMin + " 200");
            }
            for (var e : expected.entrySet()) {
                String controller = e.getKey().substring(0, e.getKey().indexOf('/'));
                Path file = HostView.v1Cgroup(pid, controller).resolve(e.getKey().substring(controller.length() + 1));
                assertThat(HostView.read(file)).as("%s", file).isEqualTo(e.getValue());
            }
            Path blkio = HostView.v1Cgroup(pid, "blkio");
            Path weight = Files.exists(blkio.resolve("blkio.bfq.weight")) ? blkio.resolve("blkio.bfq.weight") : blkio.resolve("blkio.weight");
            if (Files.exists(weight)) {
                assertThat(HostView.read(weight)).as("%s", weight).isEqualTo("300");
            }
        }
        assertThat(pelagos.run("rm", "-f", id).code()).isZero();
        assertThat(HostView.cgroupDirs(id)).isEmpty();
    }

    /** Defaults and the special values: pids 2048 by default, -1/0 unlimited; swap twice the memory, -1 unlimited; --cpus as a quota. */
    @Test
    void defaultsAndSpecialValues() {
        String pids = inside("pids", "pids.max", "pids.max");
        assertThat(pelagos.run(args("--rm", "--rootfs", probe(), "/probe", "read", pids)).line()).isEqualTo("2048");
        assertThat(pelagos.run(args("--rm", "--pids-limit", "-1", "--rootfs", probe(), "/probe", "read", pids)).line()).isEqualTo("max");
        assertThat(pelagos.run(args("--rm", "--pids-limit", "0", "--rootfs", probe(), "/probe", "read", pids)).line()).isEqualTo("max");
        if (v1) {
            String memsw = "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes";
            if (Files.exists(Path.of(memsw))) {
                assertThat(pelagos.run(args("--rm", "--memory", "64m", "--rootfs", probe(), "/probe", "read", memsw)).line())
                        .as("Docker's default: swap as much as memory").isEqualTo("134217728");
                assertThat(Long.parseLong(pelagos.run(args("--rm", "--memory", "64m", "--memory-swap", "-1", "--rootfs", probe(), "/probe",
                        "read", memsw)).line())).as("--memory-swap -1").isGreaterThan(1L << 60);
            }
            assertThat(pelagos.run(args("--rm", "--cpus", "0.5", "--rootfs", Pelagos.busyboxRootfs().toString(), "cat",
                    "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us")).out()).isEqualTo("50000\n100000\n");
        } else {
            assertThat(pelagos.run(args("--rm", "--cpus", "0.5", "--rootfs", probe(), "/probe", "read", "/sys/fs/cgroup/cpu.max")).line())
                    .isEqualTo("50000 100000");
        }
    }

    @Test
    void theContainerSeesItsCgroupAsRootAndReadOnly() {
        Pelagos.Result cg = pelagos.run(args("--rm", "--rootfs", probe(), "/probe", "read", "/proc/self/cgroup"));
        assertThat(cg.out().lines().toList()).as("cgroup namespace: every hierarchy rooted at the container").isNotEmpty()
                .allSatisfy(l -> assertThat(l).endsWith(":/"));
        String target = v1 ? "/sys/fs/cgroup/pids/pids.max" : "/sys/fs/cgroup/pids.max";
        assertThat(pelagos.run(args("--rm", "--rootfs", probe(), "/probe", "write", target, "1")).line()).isEqualTo("EROFS 30");
        assertThat(pelagos.run(args("--rm", "--rootfs", probe(), "/probe", "write", "/sys/fs/cgroup/new", "1")).line()).isEqualTo("EROFS 30");
    }

    @Test
    void theCgroupIsRemovedWhenTheContainerIsGone() throws Exception {
        assertThat(pelagos.run(args("--name", "kept", "--memory", "16m", "--rootfs", probe(), "/probe", "exit", "0")).code()).isZero();
        String id = host.nameEntries().get("kept");
        assertThat(host.stateDir(id)).as("the container's state stays (no --rm)").isDirectory();
        HostView.await("its cgroup removed after the exit", Duration.ofSeconds(5), () -> HostView.cgroupDirs(id).isEmpty());
        assertThat(pelagos.run(args("--rm", "--memory", "16m", "--rootfs", probe(), "/probe", "exit", "0")).code()).isZero();
        HostView.await("no cgroup left by --rm runs", Duration.ofSeconds(5), () -> parent.children().isEmpty());
        assertThat(pelagos.run("rm", "kept").code()).isZero();
    }

    /**
     * Docker's device rules (SECURITY.md §1.4): a process given CAP_MKNOD may make a node of any
     * device but open only the usual ones, here /dev/kmsg (c 1:11) stays shut (CAP_SYSLOG is added
     * too, so the device rules are the only thing in the way); a privileged one
     * opens it; the rules are in force again when a stopped container starts. Fails if containers
     * run with no device rules, as they did.
     */
    @Test
    void deviceRulesLetOnlyTheUsualDevicesOpen() throws Exception {
        // the nodes go to a bind-mounted scratch directory: the busybox rootfs is shared by the tests
        Path nodes = Files.createDirectories(tmp.resolve("device-nodes"));
        String tryKmsg = "rm -f /w/k; mknod /w/k c 1 11 && echo made; "
                + "dd if=/w/k of=/dev/null bs=8192 count=1 2>/dev/null && echo opened || echo refused";
        String bb = Pelagos.busyboxRootfs().toString();
        String scratch = nodes + ":/w";
        Pelagos.Result plain = pelagos.run(args("--rm", "--cap-add", "MKNOD", "--cap-add", "SYSLOG", "-v", scratch, "--rootfs", bb,
                "sh", "-c", tryKmsg));
        assertThat(plain.out()).as(plain.err()).isEqualTo("made\nrefused\n");
        Pelagos.Result usual = pelagos.run(args("--rm", "--rootfs", bb, "sh", "-c",
                "echo x > /dev/null && head -c 2 /dev/zero | wc -c && head -c 1 /dev/urandom >/dev/null && echo ok"));
        assertThat(usual.out()).as(usual.err()).isEqualTo("2\nok\n");
        Pelagos.Result privileged = pelagos.run(args("--rm", "--privileged", "-v", scratch, "--rootfs", bb, "sh", "-c", tryKmsg));
        assertThat(privileged.out()).as(privileged.err()).isEqualTo("made\nopened\n");

        Pelagos.Result first = pelagos.run(args("--name", "devices-again", "--cap-add", "MKNOD", "--cap-add", "SYSLOG", "-v", scratch, "--rootfs", bb,
                "sh", "-c", tryKmsg));
        assertThat(first.out()).as(first.err()).isEqualTo("made\nrefused\n");
        Pelagos.Result again = pelagos.run("start", "-a", "devices-again");
        assertThat(again.out()).as(again.err()).isEqualTo("made\nrefused\n");
        assertThat(pelagos.run("rm", "-f", "devices-again").code()).isZero();
        Files.deleteIfExists(nodes.resolve("k"));
    }

    /**
     * {@code --device}: the node is made with the host's numbers and the rule gives exactly the asked
     * permissions (a read-only fuse opens for reading, not for writing; /dev/net/tun under its own
     * directory opens: its read then fails with EBADFD, no interface being attached);
     * {@code --device-cgroup-rule} opens a device the container makes itself.
     */
    @Test
    void deviceFlagsGiveExactlyWhatTheyAsk() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/fuse")) && Files.exists(Path.of("/dev/net/tun")), "needs /dev/fuse and /dev/net/tun");
        String bb = Pelagos.busyboxRootfs().toString();
        Pelagos.Result r = pelagos.run(args("--rm", "--device", "/dev/fuse:/dev/myfuse:r", "--device", "/dev/net/tun", "--rootfs", bb,
                "sh", "-c", "stat -c '%t:%T' /dev/myfuse /dev/net/tun; (exec 3</dev/myfuse) && echo read-opened; "
                        + "(exec 3<>/dev/myfuse) 2>/dev/null && echo write-opened || echo write-refused; "
                        + "cat /dev/net/tun 2>&1 | grep -c 'bad state'"));
        assertThat(r.out()).as(r.err()).isEqualTo("a:e5\na:c8\nread-opened\nwrite-refused\n1\n");

        Path nodes = Files.createDirectories(tmp.resolve("device-rule-nodes"));
        String tryKmsg = "rm -f /w/k; mknod /w/k c 1 11 && dd if=/w/k of=/dev/null bs=8192 count=1 2>/dev/null && echo opened || echo refused";
        Pelagos.Result rule = pelagos.run(args("--rm", "--cap-add", "MKNOD", "--cap-add", "SYSLOG", "--device-cgroup-rule", "c 1:11 r",
                "-v", nodes + ":/w", "--rootfs", bb, "sh", "-c", tryKmsg));
        assertThat(rule.out()).as(rule.err()).isEqualTo("opened\n");
        Files.deleteIfExists(nodes.resolve("k"));
    }

    @Test
    void statsAndInfo() {
        String id = host.runDetached("--name", "measured", "--cgroup-parent", parent.name(), "--memory", "64m", "--rootfs", probe(),
                "/probe", "sleep", "60");
        Pelagos.Result json = pelagos.run("stats", "--no-stream", "--format", "json", "measured");
        assertThat(json.code()).as(json.err()).isZero();
        JsonArray rows = JsonParser.parseString(json.out()).getAsJsonArray();
        assertThat(rows).hasSize(1);
        JsonObject row = rows.get(0).getAsJsonObject();
        assertThat(row.get("Name").getAsString()).isEqualTo("measured");
        assertThat(row.get("ID").getAsString()).isEqualTo(id.substring(0, 12));
        assertThat(row.get("MemUsage").getAsString()).matches("[0-9.]+[KMG]?i?B / 64MiB");
        assertThat(row.get("PIDs").getAsString()).isEqualTo("1");
        assertThat(row.get("CPUPerc").getAsString()).matches("\\d+\\.\\d\\d%");
        Pelagos.Result table = pelagos.run("stats", "--no-stream");
        assertThat(table.out().lines().findFirst().orElseThrow()).contains("CPU %").contains("MEM USAGE / LIMIT").contains("PIDS");
        assertThat(table.out()).contains("measured");

        Pelagos.Result info = pelagos.run("info");
        assertThat(info.code()).isZero();
        assertThat(info.out()).containsPattern("Cgroup driver: +cgroupfs")
                .containsPattern("Cgroup version: +" + (v1 ? "1" : "2"));
        assertThat(pelagos.run("rm", "-f", "measured").code()).isZero();
    }

    /**
     * @param option  the bad flag(s), space-separated
     * @param message a fragment of the one error line
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '#', value = {
        "--memory 12x#invalid memory value '12x'",
        "--memory -5#invalid memory value '-5'",
        "--memory 1k#below the minimum",
        "--memory 20m --memory-swap 10m#below the memory limit",
        "--memory-swap 10m#needs a memory limit",
        "--memory-reservation abc#invalid memory-reservation value 'abc'",
        "--cpus abc#invalid cpus value 'abc'",
        "--cpus -1#cpus value -1",
        "--cpus 99#cpus value 99",
        "--cpu-shares x#invalid cpu-shares value 'x'",
        "--cpu-quota 10#cpu quota 10",
        "--cpu-period 5#cpu period 5",
        "--cpuset-cpus 7#cpuset-cpus 7",
        "--cpuset-cpus a-b#invalid cpuset-cpus 'a-b'",
        "--cpuset-mems 3#cpuset-mems 3",
        "--pids-limit x#invalid pids-limit value 'x'",
        "--blkio-weight 5#blkio-weight 5",
        "--device-read-bps nodev:1mb#'nodev'",
        "--device-read-bps /dev/null:1mb#not a block device",
        "--device-write-iops /dev/vda:x#device-write-iops",
        "--oom-score-adj 2000#oom-score-adj 2000",
        "--cgroup-parent ../escape#'../escape'",
    })
    void badValuesGetOneLineAndCreateNothing(String option, String message) throws Exception {
        PrivateCgroupParent untouched = new PrivateCgroupParent("bad");
        List<String> a = new ArrayList<>(List.of("run", "-d", "--name", "bad"));
        if (!option.contains("--cgroup-parent")) {
            a.addAll(List.of("--cgroup-parent", untouched.name()));
        }
        a.addAll(List.of(option.split(" ")));
        a.addAll(List.of("--rootfs", probe(), "/probe", "sleep", "10"));
        List<Path> before = pelagos.leftovers();
        Pelagos.Result r = pelagos.run(a);
        assertThat(r.code()).as("%s: %s", a, r.err()).isEqualTo(125);
        Pelagos.assertOneErrorLine(r);
        assertThat(r.errLines().getFirst()).contains(message);
        assertThat(r.out()).isEmpty();
        assertThat(pelagos.leftovers()).isEqualTo(before);
        assertThat(untouched.dirs()).as("no cgroup made for a refused run").isEmpty();
    }
}
