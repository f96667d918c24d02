package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceFlagsTest {
    @Test
    void dockerSyntaxBecomesLimits() throws PelagosException {
        Resources r = new ResourceFlags().set("--memory", "512m").set("--memory-swap", "1g")
                .set("--memory-reservation", "256m").set("--cpus", "0.5").set("--cpu-shares", "512")
                .set("--cpuset-cpus", "0").set("--cpuset-mems", "0").set("--pids-limit", "100")
                .set("--blkio-weight", "300").set("--oom-score-adj", "-500").build(null);
        assertThat(r.memoryBytes()).hasValue(512L << 20);
        assertThat(r.memorySwapBytes()).hasValue(1L << 30);
        assertThat(r.memoryReservationBytes()).hasValue(256L << 20);
        assertThat(r.cpuQuotaMicros()).hasValue(50_000);
        assertThat(r.cpuPeriodMicros()).hasValue(100_000);
        assertThat(r.cpuShares()).hasValue(512);
        assertThat(r.cpusetCpus().orElseThrow()).hasToString("0");
        assertThat(r.pidsLimit()).hasValue(100);
        assertThat(r.blkioWeight()).hasValue(300);
        assertThat(r.oomScoreAdj()).hasValue(-500);
    }

    @Test
    void unlimitedSpellings() throws PelagosException {
        Resources r = new ResourceFlags().set("memory", "64m").set("memory-swap", "-1").set("pids-limit", "0")
                .set("cpu-quota", "-1").build(null);
        assertThat(r.memorySwapBytes()).hasValue(Resources.UNLIMITED);
        assertThat(r.pidsLimit()).hasValue(Resources.UNLIMITED);
        assertThat(r.cpuQuotaMicros()).hasValue(Resources.UNLIMITED);
        assertThat(new ResourceFlags().set("pids-limit", "-1").build(null).pidsLimit()).hasValue(Resources.UNLIMITED);
        // Docker: 0 means "not set" for these
        Resources zero = new ResourceFlags().set("memory", "0").set("memory-swap", "0").set("memory-reservation", "0")
                .set("cpus", "0").set("cpu-shares", "0").set("blkio-weight", "0").build(null);
        assertThat(zero).isEqualTo(Resources.none());
        Resources zeroQuota = new ResourceFlags().set("cpu-quota", "0").set("cpu-period", "0").build(null);
        assertThat(zeroQuota).isEqualTo(Resources.none());
    }

    @Test
    void aMemoryLimitAloneGetsDockersSwapDefault() throws PelagosException {
        assertThat(new ResourceFlags().set("memory", "64m").build(null).swapFollowsMemory()).isTrue();
        assertThat(new ResourceFlags().set("memory", "64m").set("memory-swap", "128m").build(null).swapFollowsMemory()).isFalse();
        assertThat(new ResourceFlags().build(null).swapFollowsMemory()).isFalse();
        assertThat(Resources.builder().memory(64L << 20).build().swapFollowsMemory()).as("OCI: runc's meaning").isFalse();
    }

    @Test
    void quotaAndPeriodTogether() throws PelagosException {
        Resources r = new ResourceFlags().set("cpu-quota", "25000").set("cpu-period", "50000").build(null);
        assertThat(r.cpuQuotaMicros()).hasValue(25_000);
        assertThat(r.cpuPeriodMicros()).hasValue(50_000);
    }

    @Test
    void cpusConflictsWithQuotaAndPeriod() {
        assertThatThrownBy(() -> new ResourceFlags().set("cpus", "1").set("cpu-quota", "5000"))
                .hasMessage("--cpus and --cpu-quota cannot both be given");
        assertThatThrownBy(() -> new ResourceFlags().set("cpu-period", "5000").set("cpus", "1"))
                .hasMessage("--cpus and --cpu-period cannot both be given");
    }

    @Test
    void cpusMustBeWithinTheHost() {
        int online = Runtime.getRuntime().availableProcessors();
        assertThatThrownBy(() -> new ResourceFlags().set("cpus", "0.001").build(null))
                .hasMessage("cpus value 0.001 is outside 0.01-" + online);
        assertThatThrownBy(() -> new ResourceFlags().set("cpus", String.valueOf(online + 1)).build(null))
                .hasMessageContaining("is outside 0.01-" + online);
        assertThatThrownBy(() -> new ResourceFlags().set("cpus", "half").build(null))
                .hasMessage("invalid cpus value 'half'");
    }

    @Test
    void badValuesGetOneClearLine() {
        assertThatThrownBy(() -> new ResourceFlags().set("memory", "lots")).hasMessage("invalid memory value 'lots'");
        assertThatThrownBy(() -> new ResourceFlags().set("memory", "1m").build(null))
                .hasMessage("memory limit 1MiB is below the minimum of 6MiB");
        assertThatThrownBy(() -> new ResourceFlags().set("cpu-shares", "x")).hasMessage("invalid cpu-shares value 'x'");
        assertThatThrownBy(() -> new ResourceFlags().set("cpuset-cpus", "1-0"))
                .hasMessage("invalid cpuset-cpus '1-0': the range 1-0 runs backwards");
        assertThatThrownBy(() -> new ResourceFlags().set("blkio-weight", "5"))
                .hasMessage("blkio-weight 5 is outside 10..1000");
        assertThatThrownBy(() -> new ResourceFlags().set("blkio-weight", "99999999999"))
                .hasMessage("blkio-weight 99999999999 is outside 10..1000");
        assertThatThrownBy(() -> new ResourceFlags().set("oom-score-adj", "-1001"))
                .hasMessage("oom-score-adj -1001 is outside -1000..1000");
        assertThatThrownBy(() -> new ResourceFlags().set("device-read-bps", "/dev/null:1mb"))
                .hasMessage("invalid device-read-bps device '/dev/null': not a block device");
    }

    @Test
    void podmansDefaultPidsLimitOnlyWhereThereIsAPidsController(@TempDir Path tmp) throws PelagosException {
        Fixture.file(tmp.resolve("v2"), "cgroup.controllers", "cpu memory pids\n");
        Fixture.file(tmp.resolve("v2-nopids"), "cgroup.controllers", "cpu memory\n");
        CgroupDriver withPids = CgroupDriver.detect(tmp.resolve("v2"));
        assertThat(new ResourceFlags().build(withPids).pidsLimit()).hasValue(Resources.DEFAULT_PIDS_LIMIT);
        assertThat(new ResourceFlags().set("pids-limit", "10").build(withPids).pidsLimit()).hasValue(10);
        assertThat(new ResourceFlags().build(CgroupDriver.detect(tmp.resolve("v2-nopids"))).pidsLimit()).isEmpty();
        assertThat(new ResourceFlags().build(null).pidsLimit()).isEmpty();
    }

    @Test
    void everyDeclaredNameIsAccepted() {
        assertThat(ResourceFlags.NAMES).hasSize(16).doesNotHaveDuplicates();
        assertThatThrownBy(() -> new ResourceFlags().set("--bogus", "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
