package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.DeviceRule;
import dev.pelagos.runtime.launch.HostDevices;
import java.util.ArrayList;
import java.util.List;

/**
 * Which devices a container may open or create (SECURITY.md §1.4). Rules apply in order to a
 * cgroup that denies everything. Without them a process holding CAP_MKNOD (added with
 * {@code --cap-add}) could make a node for the host's disk and read it.
 */
public final class DeviceRules {
    /**
     * What every container gets after its own rules, as runc appends them: mknod of any device
     * (a node is harmless until opened), and the devices the runtime itself creates or a terminal
     * needs — null, zero, full, random, urandom, tty, console, ptmx, the pts, tun.
     */
    private static final List<DeviceRule> ALWAYS = List.of(allow('c', -1, -1, "m"), allow('b', -1, -1, "m"),
            allow('c', 1, 3, "rwm"), allow('c', 1, 5, "rwm"), allow('c', 1, 7, "rwm"), allow('c', 1, 8, "rwm"),
            allow('c', 1, 9, "rwm"), allow('c', 5, 0, "rwm"), allow('c', 5, 1, "rwm"), allow('c', 5, 2, "rwm"),
            allow('c', 136, -1, "rwm"), allow('c', 10, 200, "rwm"));

    /** Docker's default container spec: deny all, the basic character devices, never fuse. */
    private static final List<DeviceRule> DOCKER = List.of(new DeviceRule(false, 'a', DeviceRule.ANY, DeviceRule.ANY, "rwm"),
            allow('c', 1, 5, "rwm"), allow('c', 1, 3, "rwm"), allow('c', 1, 9, "rwm"), allow('c', 1, 8, "rwm"),
            allow('c', 5, 0, "rwm"), allow('c', 5, 1, "rwm"), new DeviceRule(false, 'c', 10, 229, "rwm"));

    private static final List<DeviceRule> EVERYTHING = List.of(allow('a', DeviceRule.ANY, DeviceRule.ANY, "rwm"));

    private DeviceRules() {
    }

    private static DeviceRule allow(char type, long major, long minor, String access) {
        return new DeviceRule(true, type, major, minor, access);
    }

    /** {@code rules} followed by the ones every container gets. */
    public static List<DeviceRule> withAlways(List<DeviceRule> rules) {
        List<DeviceRule> out = new ArrayList<>(rules);
        out.addAll(ALWAYS);
        return out;
    }

    /** A {@code pelagos run} container's with nothing added: Docker's defaults, or every device when privileged. */
    public static List<DeviceRule> forRun(boolean privileged) {
        return privileged ? EVERYTHING : withAlways(DOCKER);
    }

    /**
     * A {@code pelagos run} container's: every device when privileged; otherwise Docker's
     * defaults, then each {@code --device} with its permissions and each {@code --device-cgroup-rule}
     * (after the defaults, so they can allow what the defaults deny, fuse included), then the always set.
     */
    public static List<DeviceRule> forRun(boolean privileged, List<HostDevices.HostDevice> devices, List<String> cgroupRules)
            throws PelagosException {
        if (privileged) {
            return EVERYTHING;
        }
        List<DeviceRule> out = new ArrayList<>(DOCKER);
        for (HostDevices.HostDevice d : devices) {
            out.add(allow(d.node().type(), d.node().major(), d.node().minor(), DeviceRule.normalAccess(d.permissions())));
        }
        for (String r : cgroupRules) {
            out.add(DeviceRule.parseListLine(r));
        }
        return withAlways(out);
    }
}
