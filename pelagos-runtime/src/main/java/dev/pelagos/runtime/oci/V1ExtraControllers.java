package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.DeviceRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OCI resources the cgroup module's limits leave out: the device rules (OCI
 * {@code linux.resources.devices}, then the ones every container gets, as runc does; the devices
 * {@code linux.devices} creates get no rule of their own: the config's rules decide whether they
 * may be used — {@link dev.pelagos.runtime.container.DeviceCgroup} applies them on v1 and v2), and,
 * written directly, the v1 memory extras (swappiness, kernelTCP, disableOOMKiller) and
 * {@code net_cls}/{@code net_prio}.
 */
public final class V1ExtraControllers {
    static final Path V1_ROOT = Path.of("/sys/fs/cgroup/devices");

    private V1ExtraControllers() {
    }

    /** The container's device rules in order: the config's, then the ones every container gets. */
    public static List<DeviceRule> rules(List<OciConfig.DeviceRule> configRules) throws PelagosException {
        List<DeviceRule> out = new ArrayList<>();
        if (configRules != null) {
            for (int i = 0; i < configRules.size(); i++) {
                OciConfig.DeviceRule r = configRules.get(i);
                DeviceRule rule = DeviceRule.fromOci("linux.resources.devices[" + i + "]", Boolean.TRUE.equals(r.allow()),
                        r.type(), r.major(), r.minor(), r.access());
                if (rule != null) {
                    out.add(rule);
                }
            }
        }
        return dev.pelagos.runtime.container.DeviceRules.withAlways(out);
    }

    /**
     * The v1 memory knobs the cgroup module does not model: {@code swappiness}, {@code kernelTCP} and
     * {@code disableOOMKiller} (cgroup v2 has none of them; there they are ignored, as runc does).
     * {@code kernel} is ignored: kernels since 5.16 refuse kmem limits (runc ignores it too).
     */
    public static void memoryExtras(String path, OciConfig.Linux linux) throws PelagosException {
        if (linux == null || linux.resources() == null || linux.resources().memory() == null) {
            return;
        }
        OciConfig.Memory m = linux.resources().memory();
        Path dir = V1_ROOT.resolveSibling("memory").resolve(path);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            if (m.swappiness() != null && m.swappiness() >= 0) {
                if (m.swappiness() > 100) {
                    throw ConfigValidator.bad("linux.resources.memory.swappiness", "must be between 0 and 100", null);
                }
                Files.writeString(dir.resolve("memory.swappiness"), Long.toString(m.swappiness()));
            }
            if (m.kernelTCP() != null && m.kernelTCP() > 0) {
                Files.writeString(dir.resolve("memory.kmem.tcp.limit_in_bytes"), Long.toString(m.kernelTCP()));
            }
            if (Boolean.TRUE.equals(m.disableOOMKiller())) {
                Files.writeString(dir.resolve("memory.oom_control"), "1");
            }
        } catch (IOException e) {
            throw PelagosException.invalid("cannot set the memory options of cgroup " + dir + ": " + e.getMessage(), null);
        }
    }

    /**
     * OCI {@code linux.resources.network} (classID, priorities) needs the v1 net_cls and net_prio
     * controllers; where they are not mounted (cgroup v2, or this hybrid host) it cannot be applied,
     * and the spec wants an error rather than a silently unlimited container. Returns the directories made.
     */
    public static List<Path> network(String path, OciConfig.Linux linux) throws PelagosException {
        List<Path> made = new ArrayList<>();
        if (linux == null || linux.resources() == null || linux.resources().network() == null) {
            return made;
        }
        com.google.gson.JsonObject net = linux.resources().network();
        boolean classId = net.has("classID") && !net.get("classID").isJsonNull();
        boolean prios = net.has("priorities") && net.get("priorities").isJsonArray() && !net.getAsJsonArray("priorities").isEmpty();
        for (String[] want : new String[][] {{"net_cls", classId ? "classID" : null}, {"net_prio", prios ? "priorities" : null}}) {
            if (want[1] == null) {
                continue;
            }
            Path root = V1_ROOT.resolveSibling(want[0]);
            if (!Files.isRegularFile(root.resolve("cgroup.procs"))) {
                throw new PelagosException(dev.pelagos.base.ErrorKind.UNSUPPORTED, "config.json: linux.resources.network."
                        + want[1] + " needs the " + want[0] + " cgroup controller, which this host does not mount",
                        "remove linux.resources.network from config.json");
            }
            Path dir = root.resolve(path);
            try {
                Files.createDirectories(dir);
                made.add(dir);
                if (want[0].equals("net_cls")) {
                    Files.writeString(dir.resolve("net_cls.classid"), net.get("classID").getAsString());
                } else {
                    for (com.google.gson.JsonElement e : net.getAsJsonArray("priorities")) {
                        com.google.gson.JsonObject o = e.getAsJsonObject();
                        Files.writeString(dir.resolve("net_prio.ifpriomap"), o.get("name").getAsString() + " " + o.get("priority").getAsString());
                    }
                }
            } catch (IOException | RuntimeException e) {
                made.forEach(d -> remove(d.toString()));
                throw PelagosException.invalid("cannot apply linux.resources.network to " + dir + ": " + e.getMessage(), null);
            }
        }
        return made;
    }

    /**
     * {@code linux.resources.unified} (raw cgroup v2 files): written into the container's v2 cgroup;
     * on a v1 host it cannot be honoured, and saying so beats ignoring it (as runc does).
     */
    public static void unified(int cgroupVersion, Path v2Dir, OciConfig.Linux linux) throws PelagosException {
        if (linux == null || linux.resources() == null || linux.resources().unified() == null
                || linux.resources().unified().isEmpty()) {
            return;
        }
        if (cgroupVersion != 2) {
            throw new PelagosException(dev.pelagos.base.ErrorKind.UNSUPPORTED,
                    "invalid configuration: linux.resources.unified needs cgroup v2; this host uses cgroup v1 for containers",
                    "remove linux.resources.unified, or use the v1 resources (memory, cpu, pids, blockIO)");
        }
        for (java.util.Map.Entry<String, String> e : linux.resources().unified().entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.contains("/") || key.startsWith(".")) {
                throw ConfigValidator.bad("linux.resources.unified", "invalid key '" + key + "'", null);
            }
            try {
                Files.writeString(v2Dir.resolve(key), e.getValue());
            } catch (IOException x) {
                throw PelagosException.invalid("cannot set linux.resources.unified." + key + " = " + e.getValue() + ": "
                        + x.getMessage(), "check the cgroup v2 file name and value");
            }
        }
    }

    /** {@code blockIO.weightDevice}: per-device weights (v1 blkio, the BFQ scheduler's file when present). */
    public static void weightDevices(String path, OciConfig.Linux linux) throws PelagosException {
        if (linux == null || linux.resources() == null || linux.resources().blockIO() == null
                || linux.resources().blockIO().weightDevice() == null) {
            return;
        }
        Path dir = V1_ROOT.resolveSibling("blkio").resolve(path);
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path file = Files.exists(dir.resolve("blkio.bfq.weight_device")) ? dir.resolve("blkio.bfq.weight_device")
                : dir.resolve("blkio.weight_device");
        for (OciConfig.WeightDevice w : linux.resources().blockIO().weightDevice()) {
            if (w.major() == null || w.minor() == null || w.weight() == null) {
                continue;
            }
            try {
                Files.writeString(file, w.major() + ":" + w.minor() + " " + w.weight());
            } catch (IOException x) {
                throw PelagosException.invalid("cannot set the block I/O weight of device " + w.major() + ":" + w.minor()
                        + ": " + x.getMessage(), "name an existing block device in linux.resources.blockIO.weightDevice");
            }
        }
    }

    /** Removes the directory (and empty parents we may have made are left: they may be shared). */
    public static void remove(String dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(Path.of(dir));
        } catch (IOException e) {
            // busy or gone: nothing more to do
        }
    }
}
