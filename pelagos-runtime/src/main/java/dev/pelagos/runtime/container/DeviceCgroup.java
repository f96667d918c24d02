package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.CgroupDriver;
import dev.pelagos.cgroup.DeviceProgram;
import dev.pelagos.cgroup.DeviceRule;
import dev.pelagos.cgroup.V1Devices;
import dev.pelagos.sys.CgroupDeviceProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a container's device rules on its cgroup, before its process is in it: the v1 devices
 * controller where one is mounted (legacy and hybrid hosts), otherwise, on cgroup v2, an eBPF
 * device program compiled from the same rules. Both are brought to the new rules in place for
 * {@code update}, never through "allow everything".
 */
public final class DeviceCgroup {
    /** The state-directory file a container's rules are kept in, for starting it again. */
    static final String FILE = "devices";

    private DeviceCgroup() {
    }

    /**
     * Applies the rules to the container's cgroup at {@code cgroupPath}.
     *
     * @return the v1 devices directory this call made (the caller removes it with the cgroup), or null
     */
    public static Path apply(CgroupDriver driver, String cgroupPath, List<DeviceRule> rules, Path jniLibrary)
            throws PelagosException {
        Path v1 = v1Dir(driver, cgroupPath);
        if (v1 != null) {
            boolean made = !Files.isDirectory(v1);
            try {
                Files.createDirectories(v1);
                V1Devices.apply(v1, rules);
                return made ? v1 : null;
            } catch (IOException | PelagosException e) {
                if (made) {
                    try {
                        Files.deleteIfExists(v1);
                    } catch (IOException ignored) {
                        // busy or gone: the caller's clean-up tries again
                    }
                }
                throw failed(v1, e);
            }
        }
        if (driver.version() == 2) {
            attach(driver.root().resolve(cgroupPath), rules, jniLibrary);
        }
        return null;
    }

    /** Moves a running container's cgroup to new rules. */
    public static void update(CgroupDriver driver, String cgroupPath, List<DeviceRule> rules, Path jniLibrary)
            throws PelagosException {
        Path v1 = v1Dir(driver, cgroupPath);
        if (v1 != null) {
            if (Files.isRegularFile(v1.resolve("devices.list"))) {
                V1Devices.apply(v1, rules);
            }
        } else if (driver.version() == 2) {
            attach(driver.root().resolve(cgroupPath), rules, jniLibrary);
        }
    }

    private static void attach(Path dir, List<DeviceRule> rules, Path jniLibrary) throws PelagosException {
        DeviceProgram program = DeviceProgram.of(rules);
        try {
            CgroupDeviceProgram.replace(jniLibrary, dir, program.instructions());
        } catch (IOException e) {
            throw failed(dir, e);
        }
    }

    /** The container's directory in the v1 devices hierarchy, or null when there is none. */
    private static Path v1Dir(CgroupDriver driver, String cgroupPath) {
        if (driver.version() != 1) {
            return null;
        }
        Path root = driver.root().resolve("devices");
        return Files.isRegularFile(root.resolve("devices.list")) ? root.resolve(cgroupPath) : null;
    }

    private static PelagosException failed(Path dir, Exception e) {
        return PelagosException.invalid("cannot apply the device rules to cgroup " + dir + ": " + e.getMessage(),
                "check the device rules; on cgroup v2 they need a kernel that runs cgroup device programs (CONFIG_CGROUP_BPF)");
    }

    /** Keeps the rules beside the container's state, for {@link #load}. */
    static void save(Path stateDir, List<DeviceRule> rules) throws IOException {
        List<String> lines = new ArrayList<>();
        for (DeviceRule r : rules) {
            lines.add(r.toString());
        }
        Files.write(stateDir.resolve(FILE), lines);
    }

    /** The rules {@link #save} kept; a container made before they were kept gets Docker's defaults. */
    static List<DeviceRule> load(Path stateDir) throws PelagosException {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return DeviceRules.forRun(false);
        }
        List<DeviceRule> rules = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    rules.add(DeviceRule.parse(line));
                }
            }
        } catch (IOException e) {
            throw PelagosException.io("read " + file, e);
        }
        return rules;
    }
}
