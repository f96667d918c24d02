package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each v1 controller writes to which file, against a temp directory. */
class V1ControllersTest {
    @TempDir
    Path tmp;

    private Path memoryDir(String memsw) {
        Path dir = tmp.resolve("memory");
        Fixture.file(dir, "memory.limit_in_bytes", "9223372036854771712\n");
        Fixture.files(dir, "memory.soft_limit_in_bytes");
        if (memsw != null) {
            Fixture.file(dir, V1Memory.MEMSW, memsw);
        }
        return dir;
    }

    @Test
    void memoryWithDockersDefaultSwapOfTwiceTheMemory() throws PelagosException {
        Path dir = memoryDir("9223372036854771712\n");
        V1Memory.apply(dir, Resources.builder().memory(64L << 20).memoryReservation(32L << 20).swapFollowsMemory().build(), true);
        assertThat(Fixture.read(dir, "memory.limit_in_bytes")).isEqualTo(Long.toString(64L << 20));
        assertThat(Fixture.read(dir, V1Memory.MEMSW)).isEqualTo(Long.toString(128L << 20));
        assertThat(Fixture.read(dir, "memory.soft_limit_in_bytes")).isEqualTo(Long.toString(32L << 20));
    }

    @Test
    void memorySwapIsTheTotalAsIs() throws PelagosException {
        Path dir = memoryDir("9223372036854771712\n");
        V1Memory.apply(dir, Resources.builder().memory(64L << 20).memorySwap(Resources.UNLIMITED).build(), true);
        assertThat(Fixture.read(dir, V1Memory.MEMSW)).isEqualTo("-1");
        V1Memory.apply(dir, Resources.builder().memory(64L << 20).memorySwap(64L << 20).build(), false);
        assertThat(Fixture.read(dir, V1Memory.MEMSW)).isEqualTo(Long.toString(64L << 20));
    }

    @Test
    void noMemoryLimitLiftsTheMemoryPlusSwapLimitToo() throws PelagosException {
        Path dir = memoryDir(Long.toString(96L << 20));
        Fixture.file(dir, "memory.limit_in_bytes", Long.toString(64L << 20));
        V1Memory.apply(dir, Resources.builder().memory(Resources.UNLIMITED).build(), false);
        assertThat(Fixture.read(dir, "memory.limit_in_bytes")).isEqualTo("-1");
        assertThat(Fixture.read(dir, V1Memory.MEMSW)).isEqualTo("-1");
    }

    @Test
    void realtimePeriodAndRuntime() throws PelagosException {
        Path dir = tmp.resolve("cpu");
        Fixture.files(dir, "cpu.rt_period_us", "cpu.rt_runtime_us");
        V1Cpu.apply(dir, Resources.builder().cpuRtPeriod(800001).cpuRtRuntime(500001).build());
        assertThat(Fixture.read(dir, "cpu.rt_period_us")).isEqualTo("800001");
        assertThat(Fixture.read(dir, "cpu.rt_runtime_us")).isEqualTo("500001");
    }

    @Test
    void raisingMemoryAboveTheCurrentSwapLimitNeedsTheSwapLimitToo() {
        Path dir = memoryDir(Long.toString(128L << 20));
        assertThatThrownBy(() -> V1Memory.apply(dir, Resources.builder().memory(256L << 20).build(), false))
                .hasMessage("memory limit 256MiB is above the current memory-swap limit 128MiB");
    }

    @Test
    void swapWithoutSwapAccountingIsUnsupportedButTheDefaultIsSkipped() throws PelagosException {
        Path dir = memoryDir(null);
        V1Memory.apply(dir, Resources.builder().memory(64L << 20).swapFollowsMemory().build(), true);
        assertThat(Fixture.read(dir, "memory.limit_in_bytes")).isEqualTo(Long.toString(64L << 20));
        assertThatThrownBy(() -> V1Memory.apply(dir, Resources.builder().memory(64L << 20).memorySwap(-1).build(), true))
                .isInstanceOfSatisfying(PelagosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
                    assertThat(e.hint()).contains("swapaccount=1");
                });
    }

    @Test
    void cpuPeriodQuotaAndShares() throws PelagosException {
        Path dir = tmp.resolve("cpu");
        Fixture.file(dir, "cpu.cfs_period_us", "100000");
        Fixture.file(dir, "cpu.cfs_quota_us", "-1");
        Fixture.file(dir, "cpu.shares", "1024");
        V1Cpu.apply(dir, Resources.builder().cpuPeriod(50_000).cpuQuota(25_000).cpuShares(512).build());
        assertThat(Fixture.read(dir, "cpu.cfs_period_us")).isEqualTo("50000");
        assertThat(Fixture.read(dir, "cpu.cfs_quota_us")).isEqualTo("25000");
        assertThat(Fixture.read(dir, "cpu.shares")).isEqualTo("512");
        V1Cpu.apply(dir, Resources.builder().cpuQuota(Resources.UNLIMITED).build());
        assertThat(Fixture.read(dir, "cpu.cfs_quota_us")).isEqualTo("-1");
        assertThat(Fixture.read(dir, "cpu.cfs_period_us")).isEqualTo("50000");
    }

    @Test
    void cpusetInheritsTheParentsSetsThenNarrowsThem() throws PelagosException {
        Path parent = tmp.resolve("cpuset");
        Fixture.file(parent, "cpuset.cpus", "0-1\n");
        Fixture.file(parent, "cpuset.mems", "0\n");
        Fixture.file(parent, "cpuset.effective_cpus", "0-1\n");
        Fixture.file(parent, "cpuset.effective_mems", "0\n");
        Path dir = parent.resolve("c");
        Fixture.files(dir, "cpuset.cpus", "cpuset.mems");
        V1Cpuset.inherit(dir);
        assertThat(Fixture.read(dir, "cpuset.cpus")).isEqualTo("0-1");
        assertThat(Fixture.read(dir, "cpuset.mems")).isEqualTo("0");
        V1Cpuset.apply(dir, Resources.builder().cpusetCpus(CpuSet.parse("x", "1")).build());
        assertThat(Fixture.read(dir, "cpuset.cpus")).isEqualTo("1");
        assertThatThrownBy(() -> V1Cpuset.apply(dir, Resources.builder().cpusetCpus(CpuSet.parse("x", "7")).build()))
                .hasMessage("cpuset-cpus 7 is not available: this host offers CPUs 0-1");
    }

    @Test
    void blkioWeightAndThrottles() throws Exception {
        Path dir = tmp.resolve("blkio");
        Fixture.files(dir, "blkio.bfq.weight", "blkio.throttle.read_bps_device", "blkio.throttle.write_iops_device");
        V1Blkio.apply(dir, Resources.builder().blkioWeight(300)
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.READ_BPS, 254, 0, 1_048_576))
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.WRITE_IOPS, 254, 0, 50)).build());
        assertThat(Fixture.read(dir, "blkio.bfq.weight")).isEqualTo("300");
        assertThat(Fixture.read(dir, "blkio.throttle.read_bps_device")).isEqualTo("254:0 1048576");
        assertThat(Fixture.read(dir, "blkio.throttle.write_iops_device")).isEqualTo("254:0 50");
        assertThatThrownBy(() -> V1Blkio.apply(dir, Resources.builder()
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.WRITE_BPS, 254, 0, 1)).build()))
                .isInstanceOfSatisfying(PelagosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
                    assertThat(e.getMessage()).contains("blkio.throttle.write_bps_device");
                });
        Files.delete(dir.resolve("blkio.bfq.weight"));
        assertThatThrownBy(() -> V1Blkio.apply(dir, Resources.builder().blkioWeight(300).build()))
                .isInstanceOfSatisfying(PelagosException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
    }

    @Test
    void statsAcrossTheHierarchies() throws PelagosException {
        Path cpu = tmp.resolve("cpu/c");
        Path cpuacct = tmp.resolve("cpuacct/c");
        Path memory = tmp.resolve("memory/c");
        Path pids = tmp.resolve("pids/c");
        Path blkio = tmp.resolve("blkio/c");
        Fixture.file(cpu, "cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 9000\n");
        Fixture.file(cpuacct, "cpuacct.usage", "123456789\n");
        Fixture.file(memory, "memory.usage_in_bytes", "2097152\n");
        Fixture.file(memory, "memory.limit_in_bytes", "9223372036854771712\n");
        Fixture.file(memory, "memory.stat", "cache 0\ntotal_inactive_file 1024\n");
        Fixture.file(memory, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Fixture.file(pids, "pids.current", "7\n");
        Fixture.file(pids, "pids.max", "2048\n");
        Fixture.file(blkio, "blkio.throttle.io_service_bytes_recursive",
                "254:0 Read 4096\n254:0 Write 8192\n254:0 Sync 0\n254:0 Total 12288\nTotal 12288\n");
        V1Cgroup c = new V1Cgroup(new CgroupPath(java.util.List.of("c")), java.util.Map.of("cpu", cpu, "cpuacct", cpuacct,
                "memory", memory, "pids", pids, "blkio", blkio));
        Stats s = c.stats();
        assertThat(s.cpuUsageNanos()).isEqualTo(123_456_789);
        assertThat(s.cpuThrottledPeriods()).isEqualTo(4);
        assertThat(s.cpuThrottledNanos()).isEqualTo(9000);
        assertThat(s.memoryUsageBytes()).isEqualTo(2_097_152);
        assertThat(s.memoryLimitBytes()).isEqualTo(Stats.UNLIMITED);
        assertThat(s.memoryInactiveFileBytes()).isEqualTo(1024);
        assertThat(s.pidsCurrent()).isEqualTo(7);
        assertThat(s.pidsLimit()).isEqualTo(2048);
        assertThat(s.blockReadBytes()).isEqualTo(4096);
        assertThat(s.blockWriteBytes()).isEqualTo(8192);
        assertThat(s.oomKills()).isEqualTo(2);
        assertThat(c.oomKillCount()).isEqualTo(2);
        assertThat(c.oomCounterFiles()).containsExactly(memory.resolve("memory.oom_control"));
        assertThat(c.procsFiles()).containsExactly(cpu.resolve("cgroup.procs"), cpuacct.resolve("cgroup.procs"),
                memory.resolve("cgroup.procs"), pids.resolve("cgroup.procs"), blkio.resolve("cgroup.procs"));
    }
}
