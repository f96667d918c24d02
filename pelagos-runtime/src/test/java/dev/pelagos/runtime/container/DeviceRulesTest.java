package dev.pelagos.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.DeviceFilter;
import dev.pelagos.cgroup.DeviceRule;
import dev.pelagos.runtime.launch.DeviceNode;
import dev.pelagos.runtime.launch.HostDevices;
import dev.pelagos.runtime.spec.DeviceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceRulesTest {
    @TempDir
    Path tmp;

    private static DeviceRule allow(char type, long major, long minor, String access) {
        return new DeviceRule(true, type, major, minor, access);
    }

    @Test
    void theDefaultsAllowTheUsualDevicesAndNeitherFuseNorDisks() throws Exception {
        List<DeviceRule> allowed = DeviceFilter.of(DeviceRules.forRun(false)).exceptions();
        assertThat(allowed).contains(allow('c', 1, 3, "rwm"), allow('c', 136, -1, "rwm"), allow('b', -1, -1, "m"),
                allow('c', -1, -1, "m"));
        assertThat(allowed).noneMatch(r -> r.major() == 10 && r.minor() == 229).noneMatch(r -> r.type() == 'b' && r.access().contains("r"));
        assertThat(DeviceFilter.of(DeviceRules.forRun(false)).defaultAllow()).isFalse();
        assertThat(DeviceFilter.of(DeviceRules.forRun(true)).defaultAllow()).isTrue();
    }

    @Test
    void devicesAndRulesComeAfterTheDefaultsSoFuseCanBeGiven() throws Exception {
        HostDevices.HostDevice fuse = new HostDevices.HostDevice(new DeviceNode("/dev/fuse", 'c', 10, 229, 0600, 0, 0), "wr");
        DeviceFilter f = DeviceFilter.of(DeviceRules.forRun(false, List.of(fuse), List.of("b 8:* r")));
        assertThat(f.exceptions()).contains(allow('c', 10, 229, "rw"), allow('b', 8, -1, "r"));
        // privileged: everything, whatever else was asked
        assertThat(DeviceFilter.of(DeviceRules.forRun(true, List.of(fuse), List.of())).defaultAllow()).isTrue();
    }

    @Test
    void hostDevicesAreLookedUpWithTheirNumbers() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/null")), "needs /dev/null");
        List<HostDevices.HostDevice> d = HostDevices.resolve(List.of(DeviceRequest.parse("/dev/null:/dev/nothing:r")));
        assertThat(d).singleElement().satisfies(h -> {
            assertThat(h.node()).isEqualTo(new DeviceNode("/dev/nothing", 'c', 1, 3, 0666, 0, 0));
            assertThat(h.permissions()).isEqualTo("r");
        });
    }

    @Test
    void whatIsNotADeviceIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostDevices.resolve(List.of(DeviceRequest.parse(file.toString()))))
                .isInstanceOf(PelagosException.class).hasMessage("--device " + file + ": not a device");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostDevices.resolve(List.of(DeviceRequest.parse(dir.toString()))))
                .hasMessage("--device " + dir + ": the directory holds no device");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostDevices.resolve(List.of(DeviceRequest.parse(tmp + "/missing"))))
                .hasMessage("--device " + tmp + "/missing: no such device on this host");
    }
}
