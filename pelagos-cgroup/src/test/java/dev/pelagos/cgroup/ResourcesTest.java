package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import org.junit.jupiter.api.Test;

class ResourcesTest {
    @Test
    void noneSetsNothing() {
        Resources r = Resources.none();
        assertThat(r.setsMemory() || r.setsCpu() || r.setsCpuset() || r.setsPids() || r.setsBlockIo()).isFalse();
    }

    @Test
    void cpusBecomesQuotaOverTheDefaultPeriod() throws PelagosException {
        Resources r = Resources.builder().cpus(0.5).build();
        assertThat(r.cpuQuotaMicros()).hasValue(50_000);
        assertThat(r.cpuPeriodMicros()).hasValue(100_000);
        assertThat(Resources.builder().cpus(1.5).build().cpuQuotaMicros()).hasValue(150_000);
    }

    @Test
    void sharesConvertToCpuWeightAsRuncDoes() {
        assertThat(Resources.cpuWeightFromShares(2)).isEqualTo(1);
        assertThat(Resources.cpuWeightFromShares(1024)).isEqualTo(39);
        assertThat(Resources.cpuWeightFromShares(262_144)).isEqualTo(10_000);
    }

    @Test
    void blkioWeightMapsOntoIoWeightRange() {
        assertThat(Resources.ioWeightFromBlkioWeight(10)).isEqualTo(1);
        assertThat(Resources.ioWeightFromBlkioWeight(1000)).isEqualTo(10_000);
        assertThat(Resources.ioWeightFromBlkioWeight(500)).isEqualTo(4950);
    }

    @Test
    void memoryBelowSixMebibytesIsRejected() {
        assertInvalid(Resources.builder().memory(4L << 20), "memory limit 4MiB is below the minimum of 6MiB");
    }

    @Test
    void swapNeedsMemoryAndMustCoverIt() throws PelagosException {
        assertInvalid(Resources.builder().memorySwap(1L << 30), "a memory-swap limit needs a memory limit");
        assertInvalid(Resources.builder().memory(512L << 20).memorySwap(256L << 20),
                "memory-swap limit 256MiB is below the memory limit 512MiB");
        assertInvalid(Resources.builder().memory(512L << 20).memorySwap(-5), "invalid memory-swap limit -5");
        assertThat(Resources.builder().memory(512L << 20).memorySwap(Resources.UNLIMITED).build().memorySwapBytes())
                .hasValue(-1);
    }

    @Test
    void reservationAboveMemoryIsRejected() {
        assertInvalid(Resources.builder().memory(64L << 20).memoryReservation(128L << 20),
                "memory reservation 128MiB is above the memory limit 64MiB");
    }

    @Test
    void cpuBoundsAreTheKernels() throws PelagosException {
        assertInvalid(Resources.builder().cpuQuota(999), "cpu quota 999µs is below the kernel's minimum of 1000µs");
        assertInvalid(Resources.builder().cpuPeriod(999), "cpu period 999µs is outside 1000-1000000µs");
        assertInvalid(Resources.builder().cpuPeriod(1_000_001), "cpu period 1000001µs is outside 1000-1000000µs");
        assertInvalid(Resources.builder().cpuShares(1), "cpu shares 1 are outside 2-262144");
        assertThat(Resources.builder().cpuQuota(Resources.UNLIMITED).build().cpuQuotaMicros()).hasValue(-1);
    }

    @Test
    void otherRangesAreChecked() {
        assertInvalid(Resources.builder().pidsLimit(0), "invalid pids limit 0");
        assertInvalid(Resources.builder().blkioWeight(5), "blkio weight 5 is outside 10-1000");
        assertInvalid(Resources.builder().blkioWeight(1001), "blkio weight 1001 is outside 10-1000");
        assertInvalid(Resources.builder().oomScoreAdj(1001), "oom-score-adj 1001 is outside -1000..1000");
    }

    @Test
    void aDeviceThrottledTwiceIsRejected() {
        Resources.Builder b = Resources.builder()
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.READ_BPS, 8, 0, 1024))
                .deviceThrottle(new DeviceThrottle(DeviceThrottle.Kind.READ_BPS, 8, 0, 2048));
        assertInvalid(b, "device-read-bps is given twice for device 8:0");
    }

    @Test
    void noMemoryLimitIsAllowedButAFiniteMemoryPlusSwapAboveItIsNot() throws PelagosException {
        assertThat(Resources.builder().memory(Resources.UNLIMITED).memorySwap(Resources.UNLIMITED).build().memoryBytes())
                .hasValue(Resources.UNLIMITED);
        assertInvalid(Resources.builder().memory(Resources.UNLIMITED).memorySwap(64L << 20),
                "memory-swap limit 64MiB is below the memory limit (unlimited)");
        assertInvalid(Resources.builder().memory(-2), "memory limit -2B is below the minimum of 6MiB");
    }

    @Test
    void realtimeRuntimeMustFitItsPeriod() throws PelagosException {
        assertThat(Resources.builder().cpuRtPeriod(1000000).cpuRtRuntime(950000).build().cpuRtRuntimeMicros()).hasValue(950000);
        assertInvalid(Resources.builder().cpuRtPeriod(1000).cpuRtRuntime(2000), "real-time runtime 2000µs is longer than its period 1000µs");
        assertInvalid(Resources.builder().cpuRtPeriod(0), "invalid real-time period 0µs");
    }

    @Test
    void theRecordItselfRefusesInvalidValues() {
        assertThatThrownBy(() -> Resources.none().toBuilder().memory(1).build()).isInstanceOf(PelagosException.class);
        Resources ok = Resources.none();
        assertThatThrownBy(() -> new Resources(java.util.OptionalLong.of(1), ok.memorySwapBytes(),
                ok.memoryReservationBytes(), ok.cpuQuotaMicros(), ok.cpuPeriodMicros(), ok.cpuShares(), ok.cpuRtPeriodMicros(),
                ok.cpuRtRuntimeMicros(), ok.cpusetCpus(),
                ok.cpusetMems(), ok.pidsLimit(), ok.blkioWeight(), ok.deviceThrottles(), ok.oomScoreAdj(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the minimum");
    }

    private static void assertInvalid(Resources.Builder b, String message) {
        assertThatThrownBy(b::build).isInstanceOfSatisfying(PelagosException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.hint()).isNotBlank();
        });
    }
}
