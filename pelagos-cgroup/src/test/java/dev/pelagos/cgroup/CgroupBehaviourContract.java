package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a driver must do to a real kernel, shared by the v1 (this host) and v2 (inside the VM)
 * integration tests. Each test makes a cgroup under a parent of its own
 * ({@code pelagos-test-<random>}, at the hierarchy root, never under the caller's own cgroup), starts
 * a real {@code /bin/sh} that writes its pid into the cgroup before exec'ing the workload (the
 * test JVM may fork; the runtime's must not), and checks the kernel's verdict.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CgroupBehaviourContract {
    private static final long MIB = 1L << 20;

    CgroupDriver driver;
    String parent;
    final List<Cgroup> made = new ArrayList<>();

    @TempDir
    Path tmp;

    /** The cgroup version this class tests; the class is skipped on a host with the other one. */
    abstract int version();

    /** Why the tests cannot run on this host, or null. */
    abstract String skipReason(CgroupDriver detected);

    private String skip;

    @BeforeAll
    void detectDriver() throws Exception {
        if (!isRoot()) {
            skip = "needs root to create cgroups";
            return;
        }
        CgroupDriver detected = CgroupDriver.detect();
        skip = skipReason(detected);
        if (skip == null) {
            driver = detected;
            parent = "pelagos-test-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    /** Per test rather than per class, so every test shows as skipped with the reason. */
    @BeforeEach
    void skipWhenThisHostCannotRunThem() {
        Assumptions.assumeTrue(skip == null, skip);
    }

    @AfterEach
    void destroyWhatTheTestMade() throws PelagosException {
        for (Cgroup c : made) {
            c.destroy();
        }
        made.clear();
    }

    @AfterAll
    void removeTheTestParent() throws Exception {
        if (driver == null) {
            return;
        }
        for (Path hierarchy : hierarchyRoots()) {
            Path top = hierarchy.resolve(parent);
            // a test that failed half-way may have left a cgroup (and tasks) behind: sweep them
            try (Stream<Path> s = Files.exists(top) ? Files.list(top) : Stream.empty()) {
                for (Path child : s.filter(Files::isDirectory).toList()) {
                    driver.open(parent + "/" + child.getFileName()).destroy();
                }
            }
            CgroupFiles.rmdir(top);
        }
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private List<Path> hierarchyRoots() throws IOException {
        if (driver.version() == 2) {
            return List.of(driver.root());
        }
        try (Stream<Path> s = Files.list(driver.root())) {
            return s.filter(p -> !Files.isSymbolicLink(p) && Files.isRegularFile(p.resolve("cgroup.procs"))).toList();
        }
    }

    Cgroup create(String name, Resources r) throws PelagosException {
        Cgroup c = driver.create(parent + "/" + name, r);
        made.add(c);
        return c;
    }

    /** /bin/sh that joins the cgroup (every procs file) and then runs {@code script}; output to files. */
    Process start(Cgroup c, String name, String script) throws IOException {
        StringBuilder join = new StringBuilder();
        for (Path procs : c.procsFiles()) {
            join.append("echo $$ > '").append(procs).append("' || exit 99; ");
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", join + script);
        pb.redirectOutput(tmp.resolve(name + ".out").toFile());
        pb.redirectError(tmp.resolve(name + ".err").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    int waitFor(Process p) throws InterruptedException {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("process finished in time").isTrue();
        return p.exitValue();
    }

    String out(String name) throws IOException {
        return Files.readString(tmp.resolve(name + ".out"));
    }

    String err(String name) throws IOException {
        return Files.readString(tmp.resolve(name + ".err"));
    }

    void assertGone(Cgroup c) {
        assertThat(c.exists()).isFalse();
        for (Path d : c.directories()) {
            assertThat(d).doesNotExist();
        }
    }

    @Test
    void memoryLimitOomKillsAnAllocatingProcess(TestReporter report) throws Exception {
        Cgroup c = create("oom", Resources.builder().memory(32 * MIB).memorySwap(32 * MIB).build());
        assertThat(c.oomCounterFiles()).isNotEmpty().allMatch(Files::exists);
        assertThat(c.oomKilled()).isFalse();
        Process p = start(c, "oom", "exec perl -e '$x = \"a\" x (100 * 1024 * 1024); print \"survived\\n\"'");
        int exit = waitFor(p);
        long counted = OomCounter.read(c.oomCounterFiles().getFirst());
        report.publishEntry("oom", "memory=32MiB allocation=100MiB exit=" + exit + " oom_kill=" + counted);
        assertThat(exit).isEqualTo(137);
        assertThat(out("oom")).doesNotContain("survived");
        assertThat(counted).isGreaterThanOrEqualTo(1);
        assertThat(c.oomKilled()).isTrue();
        assertThat(c.stats().oomKills()).isEqualTo(counted);
        assertThat(c.stats().memoryLimitBytes()).isEqualTo(32 * MIB);
        c.destroy();
        assertGone(c);
    }

    @Test
    void pidsLimitMakesForkFailAndDestroyKillsTheRest(TestReporter report) throws Exception {
        Cgroup c = create("pids", Resources.builder().pidsLimit(5).build());
        // dash gives up at the first failed fork; the sleeps it started stay behind, as after a killed monitor
        Process p = start(c, "pids", "for i in 1 2 3 4 5 6 7 8; do sleep 60 & done; echo spawned; wait");
        int exit = waitFor(p);
        List<Long> left = c.pids();
        Stats stats = c.stats();
        report.publishEntry("pids", "pids.max=5 shell exit=" + exit + " stderr=" + err("pids").strip()
                + " tasks left=" + left.size());
        assertThat(err("pids")).containsIgnoringCase("fork");
        assertThat(out("pids")).doesNotContain("spawned");
        assertThat(left).hasSize(4);
        assertThat(stats.pidsCurrent()).isEqualTo(4);
        assertThat(stats.pidsLimit()).isEqualTo(5);
        c.destroy();
        assertGone(c);
        // orphans are reaped by init a moment after SIGKILL
        assertThat(Poll.until(5000, () -> left.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false)))).as("the leftover sleeps %s are gone", left).isTrue();
    }

    @Test
    void cpuQuotaThrottles(TestReporter report) throws Exception {
        Cgroup c = create("cpu", Resources.builder().cpuQuota(10_000).cpuPeriod(100_000).build());
        long t0 = System.nanoTime();
        Process p = start(c, "cpu", "exec timeout 1 sh -c 'while :; do :; done'");
        waitFor(p);
        long wallNanos = System.nanoTime() - t0;
        Stats s = c.stats();
        report.publishEntry("cpu", "quota=10% wall=" + wallNanos / 1_000_000 + "ms cpu=" + s.cpuUsageNanos() / 1_000_000
                + "ms nr_throttled=" + s.cpuThrottledPeriods() + " throttled=" + s.cpuThrottledNanos() / 1_000_000 + "ms");
        assertThat(s.cpuThrottledPeriods()).isPositive();
        assertThat(s.cpuUsageNanos()).isPositive().isLessThan(wallNanos / 2);
    }

    @Test
    void cpusetPinsTheProcess(TestReporter report) throws Exception {
        int last = Runtime.getRuntime().availableProcessors() - 1;
        Cgroup c = create("cpuset", Resources.builder().cpusetCpus(CpuSet.parse("cpuset-cpus", Integer.toString(last))).build());
        assertThat(waitFor(start(c, "cpuset", "exec grep Cpus_allowed_list /proc/self/status"))).isZero();
        report.publishEntry("cpuset", "cpuset-cpus=" + last + " -> " + out("cpuset").strip());
        assertThat(out("cpuset").strip()).isEqualTo("Cpus_allowed_list:\t" + last);
    }

    @Test
    void aCpuTheHostLacksIsOneClearErrorAndLeavesNothing() throws Exception {
        int beyond = Runtime.getRuntime().availableProcessors() + 3;
        Resources r = Resources.builder().memory(64 * MIB).cpusetCpus(CpuSet.parse("cpuset-cpus", Integer.toString(beyond))).build();
        assertThatThrownBy(() -> driver.create(parent + "/bad", r)).isInstanceOfSatisfying(PelagosException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).startsWith("cpuset-cpus " + beyond + " is not available");
        });
        assertThatThrownBy(() -> driver.open(parent + "/bad")).isInstanceOfSatisfying(PelagosException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> driver.create(parent + "/bad2", Resources.builder().cpuShares(0).build()))
                .isInstanceOf(PelagosException.class);
    }

    @Test
    void aValueTheKernelRefusesRemovesTheNewCgroup() throws Exception {
        // 1:3 is /dev/null, no block device: only the kernel can tell, after the directories exist
        Resources r = Resources.builder().memory(64 * MIB)
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.WRITE_BPS, 1, 3, MIB)).build();
        assertThatThrownBy(() -> driver.create(parent + "/refused", r)).isInstanceOfSatisfying(PelagosException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).contains("the kernel refused '1:3");
        });
        assertThatThrownBy(() -> driver.open(parent + "/refused")).isInstanceOfSatisfying(PelagosException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void deviceThrottlesReachTheKernel(TestReporter report) throws Exception {
        // PELAGOS_VM_DISK: the test VM's scratch disk, which may be written to; on a host, a disk is
        // only named in the limits, never written
        String scratch = System.getenv("PELAGOS_VM_DISK");
        Optional<Path> disk = scratch != null ? Optional.of(Path.of(scratch)) : SmallTypesTest.someBlockDevice();
        Assumptions.assumeTrue(disk.isPresent(), "no block device on this machine to name in a limit");
        DeviceThrottle write = DeviceThrottle.parse(DeviceThrottle.Kind.WRITE_BPS, disk.get() + ":1mb");
        DeviceThrottle iops = DeviceThrottle.parse(DeviceThrottle.Kind.READ_IOPS, disk.get() + ":100");
        Cgroup c = create("io", Resources.builder().deviceThrottle(write).deviceThrottle(iops).build());
        String dev = write.device();
        if (driver.version() == 2) {
            assertThat(CgroupFiles.read(c.directories().getFirst(), "io.max"))
                    .contains(dev + " rbps=max wbps=1048576 riops=100 wiops=max");
        } else {
            Path blkio = c.directories().stream().filter(d -> d.toString().contains("/blkio/")).findFirst().orElseThrow();
            assertThat(CgroupFiles.read(blkio, "blkio.throttle.write_bps_device")).isEqualTo(dev + " 1048576");
            assertThat(CgroupFiles.read(blkio, "blkio.throttle.read_iops_device")).isEqualTo(dev + " 100");
        }
        if (scratch != null) {
            long t0 = System.nanoTime();
            assertThat(waitFor(start(c, "io", "exec dd if=/dev/zero of=" + scratch + " bs=64k count=48 oflag=direct"))).isZero();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Stats s = c.stats();
            report.publishEntry("io", "wbps=1MiB on " + dev + ": 3MiB direct write took " + millis + "ms, io.stat wbytes="
                    + s.blockWriteBytes());
            assertThat(s.blockWriteBytes()).isGreaterThanOrEqualTo(3 * MIB);
            assertThat(millis).isGreaterThanOrEqualTo(1500);
        }
    }

    @Test
    void freezeStopsTasksAndThawResumesThem(TestReporter report) throws Exception {
        Cgroup c = create("freeze", Resources.none());
        Process p = start(c, "freeze", "while :; do :; done");
        assertThat(Poll.until(5000, () -> c.stats().cpuUsageNanos() > 0)).isTrue();
        assertThat(c.frozen()).isFalse();
        c.freeze();
        assertThat(c.frozen()).isTrue();
        long frozenUsage = cpuUsedDuring(c, 300);
        c.thaw();
        assertThat(c.frozen()).isFalse();
        long thawedUsage = cpuUsedDuring(c, 300);
        report.publishEntry("freezer", "busy loop used " + frozenUsage / 1_000_000 + "ms CPU in 300ms frozen, "
                + thawedUsage / 1_000_000 + "ms thawed");
        assertThat(frozenUsage).isLessThan(5_000_000);
        assertThat(thawedUsage).isGreaterThan(20_000_000);
        c.destroy();
        assertThat(waitFor(p)).isEqualTo(137);
        assertGone(c);
    }

    private static long cpuUsedDuring(Cgroup c, long millis) throws PelagosException {
        long before = c.stats().cpuUsageNanos();
        Poll.pause(millis);
        return c.stats().cpuUsageNanos() - before;
    }

    @Test
    void updateChangesLimitsInPlace() throws Exception {
        // with Docker's default swap: memory+swap = 128MiB where the kernel accounts swap
        Cgroup c = create("update", Resources.builder().memory(64 * MIB).swapFollowsMemory().pidsLimit(100).build());
        c.update(Resources.builder().memory(48 * MIB).pidsLimit(7).build());
        Stats s = c.stats();
        assertThat(s.memoryLimitBytes()).isEqualTo(48 * MIB);
        assertThat(s.pidsLimit()).isEqualTo(7);
        Cgroup reopened = driver.open(parent + "/update");
        assertThat(reopened.stats().pidsLimit()).isEqualTo(7);
        assertThat(reopened.directories()).isEqualTo(c.directories());
        // raising memory above the current memory+swap limit: v1 needs memsw written first
        c.update(Resources.builder().memory(256 * MIB).memorySwap(512 * MIB).build());
        assertThat(c.stats().memoryLimitBytes()).isEqualTo(256 * MIB);
        if (driver.version() == 1 && Files.exists(c.directories().stream()
                .filter(d -> d.toString().contains("/memory/")).findFirst().orElseThrow().resolve(V1Memory.MEMSW))) {
            assertThatThrownBy(() -> c.update(Resources.builder().memory(1024 * MIB).build()))
                    .hasMessage("memory limit 1GiB is above the current memory-swap limit 512MiB");
        }
    }

    @Test
    void theContainerSeesItsOwnCgroupAtTheRootReadOnly(TestReporter report) throws Exception {
        Cgroup c = create("ns", Resources.builder().memory(64 * MIB).pidsLimit(50).build());
        Path mnt = Files.createDirectory(tmp.resolve("cgroupfs"));
        StringBuilder steps = new StringBuilder();
        for (CgroupMount m : driver.containerMounts()) {
            String target = mnt + m.target().substring("/sys/fs/cgroup".length());
            List<String> opts = new ArrayList<>(m.flags());
            if (!m.data().isEmpty()) {
                opts.add(m.data());
            }
            switch (m.kind()) {
                case MOUNT -> steps.append("mkdir -p '").append(target).append("' && mount -t ").append(m.fstype())
                        .append(" -o ").append(String.join(",", opts)).append(' ').append(m.source()).append(" '")
                        .append(target).append("' || exit 3; ");
                case SYMLINK -> steps.append("ln -s '").append(m.source()).append("' '").append(target).append("' || exit 4; ");
                case REMOUNT -> steps.append("mount -o remount,").append(String.join(",", opts)).append(" '").append(target)
                        .append("' || exit 5; ");
                default -> throw new IllegalStateException();
            }
        }
        String limitFile = driver.version() == 2 ? mnt + "/memory.max" : mnt + "/memory/memory.limit_in_bytes";
        String pidsFile = driver.version() == 2 ? mnt + "/pids.max" : mnt + "/pids/pids.max";
        String inner = steps + "cat /proc/self/cgroup; cat '" + limitFile + "' '" + pidsFile + "'; "
                + "if touch '" + mnt + "/probe' 2>/dev/null; then echo writable; else echo read-only; fi";
        // a private mount namespace: nothing mounted here is visible outside it
        Process p = start(c, "ns", "exec unshare --cgroup --mount --propagation private sh -c \"" + inner + "\"");
        int exit = waitFor(p);
        String out = out("ns");
        report.publishEntry("cgroupns", out.replace('\n', ' '));
        assertThat(exit).as("stderr: %s", err("ns")).isZero();
        List<String> lines = out.lines().toList();
        List<String> memoryLine = lines.stream().filter(l -> l.startsWith("0::") || l.contains(":memory:")).toList();
        assertThat(memoryLine).isNotEmpty().allMatch(l -> l.endsWith(":/"));
        assertThat(lines).contains(Long.toString(64 * MIB), "50", "read-only");
    }

    @Test
    void destroyAfterTheMonitorWasKilledRemovesEverything(TestReporter report) throws Exception {
        Cgroup c = create("monitor", Resources.builder().memory(64 * MIB).build());
        // the shell stands in for a container's monitor: SIGKILLed, it leaves its children behind
        Process monitor = start(c, "monitor", "sleep 60 & sleep 60 & exec sleep 60");
        assertThat(Poll.until(10_000, () -> c.pids().size() == 3)).as("three tasks started: %s", c.pids()).isTrue();
        monitor.destroyForcibly();
        assertThat(waitFor(monitor)).isEqualTo(137);
        List<Long> orphans = c.pids();
        report.publishEntry("monitor", "killed monitor left " + orphans.size() + " tasks; destroy removed "
                + c.directories().size() + " directories");
        assertThat(orphans).hasSize(2);
        driver.open(c.path()).destroy(); // as `rm -f` would, from a fresh handle
        assertGone(c);
    }

    @Test
    void theFilesTheHelperNeedsExistUntilDestroy() throws Exception {
        Cgroup c = create("files", Resources.builder().memory(64 * MIB).build());
        assertThat(c.path()).isEqualTo(parent + "/files");
        assertThat(c.procsFiles()).isNotEmpty().allMatch(Files::isRegularFile);
        assertThat(c.directories()).isNotEmpty().allMatch(Files::isDirectory);
        assertThat(c.procsFiles()).allMatch(f -> !f.toString().contains("process_api"));
        assertThat(waitFor(start(c, "files", "exit 3"))).isEqualTo(3);
        assertThat(c.pids()).isEmpty();
        c.destroy();
        assertGone(c);
        c.destroy(); // idempotent
    }
}
