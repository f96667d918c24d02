package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup v1 devices controller: brings a cgroup's device filter to the state a list of rules
 * describes with the fewest writes ({@link DeviceFilter#transitionTo}), so that re-applying the
 * same rules to a running container writes nothing and never opens or closes every device for a
 * moment.
 */
public final class V1Devices {
    private V1Devices() {
    }

    /**
     * @param dir   the container's directory in the devices hierarchy
     * @param rules applied in order to a deny-everything start
     * @return the rules written (empty when the cgroup was already in that state)
     */
    public static List<DeviceRule> apply(Path dir, List<DeviceRule> rules) throws PelagosException {
        DeviceFilter target = DeviceFilter.of(rules);
        DeviceFilter current = DeviceFilter.fromList(CgroupFiles.read(dir, "devices.list"));
        List<DeviceRule> writes = current.transitionTo(target);
        for (DeviceRule r : writes) {
            // 'a' alone: the kernel takes "a" (every device) with no numbers or access
            CgroupFiles.write(dir, r.file(), r.type() == 'a' ? "a" : r.line(), "the device rule '" + r + "'");
        }
        return writes;
    }
}
