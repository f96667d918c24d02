package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device rules as the v1 devices controller takes them, and the writes between two states. */
class DeviceFilterTest {
    @TempDir
    Path tmp;

    private static final List<DeviceRule> DENY_ALL_BUT_NULL_AND_PTS = List.of(new DeviceRule(false, 'a', -1, -1, "rwm"),
            new DeviceRule(true, 'c', 1, 3, "rwm"), new DeviceRule(true, 'c', 136, -1, "rwm"));

    private static List<String> writes(List<DeviceRule> rules) {
        return rules.stream().map(r -> r.file() + " " + r.line()).toList();
    }

    @Test
    void ociRulesAreNormalisedToWhatTheKernelAccepts() throws PelagosException {
        assertThat(DeviceRule.fromOci("r", false, null, null, null, "rwm")).hasToString("deny a *:* rwm");
        assertThat(DeviceRule.fromOci("r", true, "u", 4L, null, "wr")).hasToString("allow c 4:* rw");
        // 'a' is no access letter: the kernel would refuse the whole rule with EINVAL
        assertThat(DeviceRule.fromOci("r", false, "c", 1L, 11L, "rwa")).hasToString("deny c 1:11 rw");
        assertThat(DeviceRule.fromOci("r", true, "p", null, null, "rwm")).isNull();
        assertThatThrownBy(() -> DeviceRule.fromOci("linux.resources.devices[2]", true, "c", 1L, 3L, "x"))
                .hasMessage("linux.resources.devices[2]: access 'x' has none of r, w, m");
        assertThatThrownBy(() -> DeviceRule.fromOci("r", true, "z", 1L, 3L, "r")).hasMessageContaining("unknown device type 'z'");
    }

    @Test
    void aFreshCgroupThatAllowsEverythingIsClosedFirstThenOpenedForTheExceptions() throws PelagosException {
        DeviceFilter parent = DeviceFilter.fromList("a *:* rwm\n");
        assertThat(writes(parent.transitionTo(DeviceFilter.of(DENY_ALL_BUT_NULL_AND_PTS))))
                .containsExactly("devices.deny a *:* rwm", "devices.allow c 1:3 rwm", "devices.allow c 136:* rwm");
    }

    @Test
    void exceptionsAreWrittenInTheOrderOfTheRules() throws PelagosException {
        DeviceFilter target = DeviceFilter.of(List.of(new DeviceRule(false, 'a', -1, -1, "rwm"), new DeviceRule(true, 'c', 10, 229, "rwm"),
                new DeviceRule(true, 'b', 8, 20, "rw"), new DeviceRule(true, 'b', 10, 200, "r"), new DeviceRule(true, 'c', 1, 3, "rwm")));
        assertThat(writes(DeviceFilter.fromList("a *:* rwm").transitionTo(target))).containsExactly("devices.deny a *:* rwm",
                "devices.allow c 10:229 rwm", "devices.allow b 8:20 rw", "devices.allow b 10:200 r", "devices.allow c 1:3 rwm");
    }

    @Test
    void reapplyingTheSameRulesWritesNothing() throws PelagosException {
        DeviceFilter current = DeviceFilter.fromList("c 1:3 rwm\nc 136:* rwm\n");
        assertThat(current.transitionTo(DeviceFilter.of(DENY_ALL_BUT_NULL_AND_PTS))).isEmpty();
    }

    @Test
    void aChangeWritesOnlyTheDifferenceAndNeverTheDefault() throws PelagosException {
        DeviceFilter current = DeviceFilter.fromList("c 1:3 rwm\nc 1:11 rwm\nc 136:* rw\n");
        assertThat(writes(current.transitionTo(DeviceFilter.of(DENY_ALL_BUT_NULL_AND_PTS))))
                .containsExactly("devices.deny c 1:11 rwm", "devices.allow c 136:* m");
    }

    @Test
    void aDenyAfterAnAllowOfTheSameDeviceTakesTheLettersAway() throws PelagosException {
        DeviceFilter f = DeviceFilter.of(List.of(new DeviceRule(false, 'a', -1, -1, "rwm"), new DeviceRule(true, 'c', 1, 11, "rwm"),
                new DeviceRule(false, 'c', 1, 11, "rw")));
        assertThat(f.exceptions()).extracting(DeviceRule::toString).containsExactly("allow c 1:11 m");
        // an allow-all default keeps denies as its exceptions
        DeviceFilter open = DeviceFilter.of(List.of(new DeviceRule(true, 'a', -1, -1, "rwm"), new DeviceRule(false, 'b', 8, 0, "w")));
        assertThat(open.defaultAllow()).isTrue();
        assertThat(writes(DeviceFilter.fromList("c 1:3 rwm\n").transitionTo(open)))
                .containsExactly("devices.allow a *:* rwm", "devices.deny b 8:0 w");
    }

    @Test
    void aDenyInsideAWiderAllowIsRefusedBecauseTheKernelWouldIgnoreIt() {
        assertThatThrownBy(() -> DeviceFilter.of(List.of(new DeviceRule(true, 'c', 136, -1, "rwm"),
                new DeviceRule(false, 'c', 136, 3, "rw")))).isInstanceOf(PelagosException.class)
                .hasMessageContaining("cannot cut a hole");
    }

    @Test
    void devicesListLinesParse() throws PelagosException {
        assertThat(DeviceRule.parseListLine("c 136:* rwm")).isEqualTo(new DeviceRule(true, 'c', 136, -1, "rwm"));
        assertThat(DeviceRule.parseListLine("a *:* rwm").type()).isEqualTo('a');
        assertThatThrownBy(() -> DeviceRule.parseListLine("c 1 rwm")).isInstanceOf(PelagosException.class);
    }

    @Test
    void applyWritesTheTransitionIntoTheControlFiles() throws PelagosException {
        Path dir = tmp.resolve("devices");
        Fixture.file(dir, "devices.list", "c 1:3 rwm\nc 1:11 rwm\nc 136:* rwm\n");
        Fixture.files(dir, "devices.allow", "devices.deny");
        assertThat(V1Devices.apply(dir, DENY_ALL_BUT_NULL_AND_PTS)).extracting(DeviceRule::toString).containsExactly("deny c 1:11 rwm");
        assertThat(Fixture.read(dir, "devices.deny")).isEqualTo("c 1:11 rwm");
        assertThat(Fixture.read(dir, "devices.allow")).isEmpty();
    }
}
