package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each v2 controller writes to which file, against a temp directory. */
class V2ControllersTest {
    @TempDir
    Path parent;
    Path dir;

    @BeforeEach
    void cgroup() {
        dir = parent.resolve("c");
        Fixture.files(dir, "memory.max", "memory.low", "memory.oom.group", "cpu.weight", "cpuset.cpus", "cpuset.mems",
                "pids.max", "io.max", "io.weight");
        Fixture.file(dir, "memory.swap.max", "max\n");
        Fixture.file(dir, "cpu.max", "max 100000\n");
        Fixture.file(parent, "cpuset.cpus.effective", "0-3\n");
        Fixture.file(parent, "cpuset.mems.effective", "0\n");
    }

    @Test
    void memoryLimitGetsDockersDefaultSwapAndOomGroup() throws PelagosException {
        V2Memory.apply(dir, Resources.builder().memory(64L << 20).swapFollowsMemory().build(), true);
        assertThat(Fixture.read(dir, "memory.max")).isEqualTo("67108864");
        assertThat(Fixture.read(dir, "memory.swap.max")).isEqualTo("67108864");
        assertThat(Fixture.read(dir, "memory.oom.group")).isEqualTo("1");
    }

    @Test
    void withoutDockersDefaultSwapIsLeftAsItIs() throws PelagosException {
        V2Memory.apply(dir, Resources.builder().memory(64L << 20).build(), true);
        assertThat(Fixture.read(dir, "memory.swap.max")).isEqualTo("max\n");
    }

    @Test
    void memorySwapIsTotalMinusMemory() throws PelagosException {
        V2Memory.apply(dir, Resources.builder().memory(64L << 20).memorySwap(96L << 20).build(), true);
        assertThat(Fixture.read(dir, "memory.swap.max")).isEqualTo(Long.toString(32L << 20));
        V2Memory.apply(dir, Resources.builder().memory(64L << 20).memorySwap(64L << 20).build(), false);
        assertThat(Fixture.read(dir, "memory.swap.max")).isEqualTo("0");
        V2Memory.apply(dir, Resources.builder().memory(64L << 20).memorySwap(-1).build(), false);
        assertThat(Fixture.read(dir, "memory.swap.max")).isEqualTo("max");
    }

    @Test
    void reservationIsMemoryLow() throws PelagosException {
        V2Memory.apply(dir, Resources.builder().memoryReservation(32L << 20).build(), true);
        assertThat(Fixture.read(dir, "memory.low")).isEqualTo(Long.toString(32L << 20));
        assertThat(Fixture.read(dir, "memory.max")).isEmpty();
    }

    @Test
    void swapWithoutSwapAccountingIsUnsupported() throws Exception {
        java.nio.file.Files.delete(dir.resolve("memory.swap.max"));
        V2Memory.apply(dir, Resources.builder().memory(64L << 20).swapFollowsMemory().build(), true); // the default does not apply
        assertThatThrownBy(() -> V2Memory.apply(dir, Resources.builder().memory(64L << 20).memorySwap(128L << 20).build(), true))
                .isInstanceOfSatisfying(PelagosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
                    assertThat(e.getMessage()).startsWith("cannot set memory-swap limit 128MiB: the kernel has no memory.swap.max");
                });
    }

    @Test
    void cpuMaxKeepsTheHalfNotGiven() throws PelagosException {
        V2Cpu.apply(dir, Resources.builder().cpus(0.5).build());
        assertThat(Fixture.read(dir, "cpu.max")).isEqualTo("50000 100000");
        V2Cpu.apply(dir, Resources.builder().cpuPeriod(200_000).build());
        assertThat(Fixture.read(dir, "cpu.max")).isEqualTo("50000 200000");
        V2Cpu.apply(dir, Resources.builder().cpuQuota(Resources.UNLIMITED).build());
        assertThat(Fixture.read(dir, "cpu.max")).isEqualTo("max 200000");
    }

    @Test
    void sharesBecomeWeight() throws PelagosException {
        V2Cpu.apply(dir, Resources.builder().cpuShares(512).build());
        assertThat(Fixture.read(dir, "cpu.weight")).isEqualTo("20");
    }

    @Test
    void cpusetWritesCanonicalListsWithinTheParents() throws PelagosException {
        V2Cpuset.apply(dir, Resources.builder().cpusetCpus(CpuSet.parse("x", "3,1-2")).cpusetMems(CpuSet.parse("x", "0")).build());
        assertThat(Fixture.read(dir, "cpuset.cpus")).isEqualTo("1-3");
        assertThat(Fixture.read(dir, "cpuset.mems")).isEqualTo("0");
        assertThatThrownBy(() -> V2Cpuset.apply(dir, Resources.builder().cpusetCpus(CpuSet.parse("x", "2-5")).build()))
                .hasMessage("cpuset-cpus 2-5 is not available: this host offers CPUs 0-3");
        assertThatThrownBy(() -> V2Cpuset.apply(dir, Resources.builder().cpusetMems(CpuSet.parse("x", "1")).build()))
                .hasMessage("cpuset-mems 1 is not available: this host offers memory nodes 0");
    }

    @Test
    void pidsLimitOrMax() throws PelagosException {
        V2Pids.apply(dir, Resources.builder().pidsLimit(1000).build());
        assertThat(Fixture.read(dir, "pids.max")).isEqualTo("1000");
        V2Pids.apply(dir, Resources.builder().pidsLimit(Resources.UNLIMITED).build());
        assertThat(Fixture.read(dir, "pids.max")).isEqualTo("max");
    }

    @Test
    void ioMaxGetsOneLinePerDevice() throws PelagosException {
        Resources r = Resources.builder()
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.WRITE_BPS, 8, 0, 1_048_576))
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.READ_IOPS, 8, 0, 100))
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.READ_BPS, 254, 0, 4096))
                .build();
        V2Io.apply(dir, r);
        // the fixture file keeps only the last write; the kernel would keep both lines
        assertThat(Fixture.read(dir, "io.max")).isEqualTo("254:0 rbps=4096");
        V2Io.apply(dir, Resources.builder().deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.WRITE_BPS, 8, 0, 1_048_576))
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.READ_IOPS, 8, 0, 100)).build());
        assertThat(Fixture.read(dir, "io.max")).isEqualTo("8:0 wbps=1048576 riops=100");
    }

    @Test
    void blkioWeightPrefersBfq() throws PelagosException {
        V2Io.apply(dir, Resources.builder().blkioWeight(500).build());
        assertThat(Fixture.read(dir, "io.weight")).isEqualTo("default 4950");
        Fixture.files(dir, "io.bfq.weight");
        V2Io.apply(dir, Resources.builder().blkioWeight(500).build());
        assertThat(Fixture.read(dir, "io.bfq.weight")).isEqualTo("500");
    }

    @Test
    void blkioWeightWithoutAWeightFileIsUnsupported() throws Exception {
        java.nio.file.Files.delete(dir.resolve("io.weight"));
        assertThatThrownBy(() -> V2Io.apply(dir, Resources.builder().blkioWeight(500).build()))
                .isInstanceOfSatisfying(PelagosException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
    }

    @Test
    void statsComeFromTheKernelFiles() throws PelagosException {
        Fixture.file(dir, "cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 10\nnr_throttled 3\nthrottled_usec 700\n");
        Fixture.file(dir, "memory.current", "1048576\n");
        Fixture.file(dir, "memory.max", "33554432\n");
        Fixture.file(dir, "memory.stat", "anon 1000\nfile 2000\ninactive_file 4096\n");
        Fixture.file(dir, "memory.events", "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n");
        Fixture.file(dir, "pids.current", "3\n");
        Fixture.file(dir, "pids.max", "max\n");
        Fixture.file(dir, "io.stat", "254:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n8:0 rbytes=1 wbytes=2 rios=1 wios=1\n");
        Fixture.files(dir, "cgroup.procs");
        Stats s = new V2Cgroup(new CgroupPath(java.util.List.of("c")), dir).stats();
        assertThat(s.cpuUsageNanos()).isEqualTo(2_500_000);
        assertThat(s.cpuThrottledPeriods()).isEqualTo(3);
        assertThat(s.cpuThrottledNanos()).isEqualTo(700_000);
        assertThat(s.memoryUsageBytes()).isEqualTo(1_048_576);
        assertThat(s.memoryWorkingSetBytes()).isEqualTo(1_048_576 - 4096);
        assertThat(s.memoryLimitBytes()).isEqualTo(32L << 20);
        assertThat(s.pidsCurrent()).isEqualTo(3);
        assertThat(s.pidsLimit()).isEqualTo(Stats.UNLIMITED);
        assertThat(s.blockReadBytes()).isEqualTo(101);
        assertThat(s.blockWriteBytes()).isEqualTo(202);
        assertThat(s.oomKills()).isEqualTo(1);
    }
}
