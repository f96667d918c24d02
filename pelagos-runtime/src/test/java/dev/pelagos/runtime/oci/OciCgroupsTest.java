package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.DeviceRule;
import dev.pelagos.cgroup.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciCgroupsTest {
    @Test
    void absolutePathsAreFromTheHierarchyRootRelativeOnesUnderOurOwnParent() throws PelagosException {
        assertThat(OciCgroups.resolvePath("/clients/t-d", "x", false)).isEqualTo("clients/t-d");
        assertThat(OciCgroups.resolvePath("mine/x", "x", false)).isEqualTo(OciCgroups.OWN_PARENT + "/mine/x");
        assertThat(OciCgroups.resolvePath(null, "abc", false)).isEqualTo(OciCgroups.OWN_PARENT + "/abc");
    }

    @Test
    void escapesTheRootAndSystemdAreRefused() {
        assertThatThrownBy(() -> OciCgroups.resolvePath("/a/../../b", "x", false)).hasMessageContaining("linux.cgroupsPath");
        assertThatThrownBy(() -> OciCgroups.resolvePath("/", "x", false)).hasMessageContaining("root cgroup");
        assertThatThrownBy(() -> OciCgroups.resolvePath("system.slice:pelagos:x", "x", true)).hasMessageContaining("systemd");
    }

    @Test
    void resourcesMapToTheCgroupLimits() throws PelagosException {
        OciConfig c = OciConfigReader.parse("{\"linux\":{\"resources\":{\"memory\":{\"limit\":67108864,\"swap\":-1},"
                + "\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,\"cpus\":\"0\"},\"pids\":{\"limit\":64}}}}", "t");
        Resources r = OciCgroups.resources(c.linux().resources());
        assertThat(r.memoryBytes()).hasValue(67108864);
        assertThat(r.memorySwapBytes()).hasValue(Resources.UNLIMITED);
        assertThat(r.cpuShares()).hasValue(512);
        assertThat(r.cpuQuotaMicros()).hasValue(50000);
        assertThat(r.pidsLimit()).hasValue(64);
        assertThat(r.cpusetCpus()).isPresent();
    }

    @Test
    void deviceRulesAreTheConfigsThenTheDefaultsAndCreatedDevicesGetNoRuleOfTheirOwn() throws PelagosException {
        OciConfig c = OciConfigReader.parse("{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                + "{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rw\"}]},"
                + "\"devices\":[{\"type\":\"b\",\"path\":\"/dev/sda\",\"major\":8,\"minor\":0}]}}", "t");
        List<DeviceRule> rules = V1ExtraControllers.rules(c.linux().resources().devices());
        assertThat(rules.get(0)).hasToString("deny a *:* rwm");
        assertThat(rules.get(1)).hasToString("allow c 10:229 rw");
        assertThat(rules.stream().map(DeviceRule::line)).contains("c 1:3 rwm", "c 136:* rwm").doesNotContain("b 8:0 rwm");
    }

    @Test
    void aDeviceDeniedWithAnUnknownAccessLetterIsDeniedForTheLettersTheKernelKnows() throws PelagosException {
        OciConfig c = OciConfigReader.parse("{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                + "{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"rwa\"}]}}}", "t");
        List<DeviceRule> rules = V1ExtraControllers.rules(c.linux().resources().devices());
        assertThat(rules.get(1)).hasToString("deny c 1:11 rw");
    }

    @Test
    void minusOneLiftsTheMemoryLimitAndRealtimeSettingsAreMapped() throws PelagosException {
        OciConfig c = OciConfigReader.parse("{\"linux\":{\"resources\":{\"memory\":{\"limit\":-1},"
                + "\"cpu\":{\"realtimePeriod\":800001,\"realtimeRuntime\":500001}}}}", "t");
        Resources r = OciCgroups.resources(c.linux().resources());
        assertThat(r.memoryBytes()).hasValue(Resources.UNLIMITED);
        assertThat(r.cpuRtPeriodMicros()).hasValue(800001);
        assertThat(r.cpuRtRuntimeMicros()).hasValue(500001);
    }
}
