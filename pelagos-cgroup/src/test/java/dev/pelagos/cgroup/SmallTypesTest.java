package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OomCounter, CgroupPath, DeviceThrottle and Stats arithmetic. */
class SmallTypesTest {
    @Test
    void oomKillLineInBothVersionsFiles() {
        assertThat(OomCounter.parse("low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 1\n")).isEqualTo(1);
        assertThat(OomCounter.parse("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n")).isEqualTo(3);
        assertThat(OomCounter.parse("oom_kill_disable 0\n")).isZero();
    }

    @Test
    void oomCounterOfAGoneFileIsZero(@TempDir Path tmp) throws PelagosException {
        assertThat(OomCounter.read(tmp.resolve("memory.events"))).isZero();
        assertThat(OomCounter.read(Fixture.file(tmp, "memory.events", "oom_kill 4\n"))).isEqualTo(4);
    }

    @Test
    void cgroupPaths() throws PelagosException {
        assertThat(CgroupPath.parse("/pelagos/abc/")).hasToString("pelagos/abc");
        assertThat(CgroupPath.forContainer(null, "abc")).hasToString("pelagos/abc");
        assertThat(CgroupPath.forContainer("/custom/parent", "abc")).hasToString("custom/parent/abc");
        assertThat(CgroupPath.parse("a/b").under(Path.of("/sys/fs/cgroup/memory"))).isEqualTo(Path.of("/sys/fs/cgroup/memory/a/b"));
        assertThatThrownBy(() -> CgroupPath.parse("a//b")).hasMessage("invalid cgroup path 'a//b': it has an empty name");
        assertThatThrownBy(() -> CgroupPath.parse("a/./b")).hasMessage("invalid cgroup path 'a/./b': '.' is not allowed");
        assertThatThrownBy(() -> CgroupPath.parse("")).hasMessage("invalid cgroup path '': it has an empty name");
        assertThatThrownBy(() -> CgroupPath.forContainer("ok", "bad\nid")).isInstanceOfSatisfying(PelagosException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }

    @Test
    void deviceNumbersDecodeLikeGlibc() {
        assertThat(DeviceThrottle.major(0xfe00)).isEqualTo(254);
        assertThat(DeviceThrottle.minor(0xfe00)).isZero();
        assertThat(DeviceThrottle.major(0x0811)).isEqualTo(8);
        assertThat(DeviceThrottle.minor(0x0811)).isEqualTo(17);
        long big = (0x123000L << 32) | (0x045L << 8) | (0x67800L << 12) | 0x9a; // major 0x123045, minor 0x6789a
        assertThat(DeviceThrottle.major(big)).isEqualTo(0x123045);
        assertThat(DeviceThrottle.minor(big)).isEqualTo(0x6789a);
    }

    @Test
    void deviceThrottleRejectsWhatIsNotABlockDevice(@TempDir Path tmp) {
        assertThatThrownBy(() -> DeviceThrottle.parse(DeviceThrottle.Kind.READ_BPS, "/dev/sda"))
                .hasMessage("invalid device-read-bps '/dev/sda': expected DEVICE:RATE");
        assertThatThrownBy(() -> DeviceThrottle.parse(DeviceThrottle.Kind.READ_BPS, "sda:1mb"))
                .hasMessage("invalid device-read-bps device 'sda': not an absolute path");
        assertThatThrownBy(() -> DeviceThrottle.parse(DeviceThrottle.Kind.WRITE_BPS, tmp + ":1mb"))
                .hasMessage("invalid device-write-bps device '" + tmp + "': not a block device");
        assertThatThrownBy(() -> DeviceThrottle.parse(DeviceThrottle.Kind.READ_IOPS, "/dev/no-such-disk:10"))
                .hasMessage("device-read-iops device '/dev/no-such-disk' does not exist");
        assertThatThrownBy(() -> DeviceThrottle.parse(DeviceThrottle.Kind.READ_IOPS, "/dev/null:ten"))
                .hasMessage("invalid device-read-iops rate 'ten': not a whole number");
        assertThatThrownBy(() -> DeviceThrottle.parse(DeviceThrottle.Kind.WRITE_IOPS, "/dev/null:0"))
                .hasMessage("invalid device-write-iops rate '0': it must be above zero");
    }

    @Test
    void deviceThrottleResolvesARealBlockDevice() throws Exception {
        Optional<Path> disk = someBlockDevice();
        Assumptions.assumeTrue(disk.isPresent(), "no block device under /dev on this machine");
        String sysName = Files.readString(Path.of("/sys/block", disk.get().getFileName().toString(), "dev")).strip();
        DeviceThrottle t = DeviceThrottle.parse(DeviceThrottle.Kind.WRITE_BPS, disk.get() + ":2mb");
        assertThat(t.device()).isEqualTo(sysName);
        assertThat(t.rate()).isEqualTo(2L << 20);
    }

    /** A whole disk under /dev (preferring real disks over loop and zram devices), if any. */
    static Optional<Path> someBlockDevice() throws IOException {
        Path sys = Path.of("/sys/block");
        if (!Files.isDirectory(sys)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(sys)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> Files.exists(Path.of("/dev", n)))
                    .sorted(java.util.Comparator.comparing((String n) -> n.matches("(loop|zram|ram).*")).thenComparing(n -> n))
                    .map(n -> Path.of("/dev", n)).findFirst();
        }
    }

    @Test
    void statsArithmetic() {
        Stats a = new Stats(1_000_000_000L, 0, 0, 0, 0, -1, 0, -1, 0, 0, 0, 10_000_000_000L);
        Stats b = new Stats(1_500_000_000L, 0, 0, 300, 100, 1000, 0, -1, 0, 0, 0, 11_000_000_000L);
        assertThat(b.cpuPercentSince(a)).isEqualTo(50.0);
        assertThat(b.memoryWorkingSetBytes()).isEqualTo(200);
        assertThat(b.memoryPercent(10_000)).isEqualTo(20.0);
        assertThat(a.memoryPercent(10_000)).isZero();
        assertThat(a.cpuPercentSince(b)).isZero();
    }
}
