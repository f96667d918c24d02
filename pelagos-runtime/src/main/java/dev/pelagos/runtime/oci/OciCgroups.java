package dev.pelagos.runtime.oci;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.CpuSet;
import dev.pelagos.cgroup.DeviceThrottle;
import dev.pelagos.cgroup.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an OCI container's cgroup goes and what limits it gets. An absolute {@code cgroupsPath}
 * is taken from the hierarchy root (what podman and containerd pass); a relative one, and the
 * default, go under a parent of our own ({@value #OWN_PARENT}), never under the caller's cgroup,
 * which may belong to someone else (MACHINE.md).
 */
public final class OciCgroups {
    static final String OWN_PARENT = "pelagos-oci";

    private OciCgroups() {
    }

    /** The cgroup path relative to the hierarchy root. */
    public static String resolvePath(String cgroupsPath, String id, boolean systemd) throws PelagosException {
        if (systemd) {
            throw new PelagosException(ErrorKind.UNSUPPORTED, "the systemd cgroup driver is not supported",
                    "run without --systemd-cgroup (pelagos manages cgroupfs directly); for containerd set SystemdCgroup = false");
        }
        String p = cgroupsPath == null || cgroupsPath.isBlank() ? OWN_PARENT + "/" + id
                : cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : OWN_PARENT + "/" + cgroupsPath;
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                throw ConfigValidator.bad("linux.cgroupsPath", "'" + cgroupsPath + "' must not contain '..'", null);
            }
            parts.add(s);
        }
        if (parts.isEmpty()) {
            throw ConfigValidator.bad("linux.cgroupsPath", "'" + cgroupsPath + "' names the root cgroup",
                    "give the container a cgroup of its own, e.g. /mycontainers/ID");
        }
        String joined = String.join("/", parts);
        for (String mine : ownCgroups()) {
            if (mine.equals(joined) || mine.startsWith(joined + "/")) {
                throw ConfigValidator.bad("linux.cgroupsPath", "'" + cgroupsPath + "' is the cgroup this runtime runs in, or contains it",
                        "give the container a cgroup of its own");
            }
        }
        return String.join("/", parts);
    }

    /** Every non-root cgroup this process is in, without the leading slash (they belong to whoever started us). */
    private static List<String> ownCgroups() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String path = line.substring(line.indexOf(':', line.indexOf(':') + 1) + 1);
                if (path.length() > 1) {
                    out.add(path.substring(1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/self/cgroup: nothing to protect
        }
        return out;
    }

    /** OCI {@code linux.resources} as the cgroup module's limits. */
    public static Resources resources(OciConfig.Resources r) throws PelagosException {
        Resources.Builder b = Resources.builder();
        if (r == null) {
            return b.build();
        }
        if (r.memory() != null) {
            OciConfig.Memory m = r.memory();
            if (m.limit() != null && (m.limit() > 0 || m.limit() == -1)) {
                b.memory(m.limit() == -1 ? Resources.UNLIMITED : m.limit());
            }
            if (m.swap() != null && (m.swap() > 0 || m.swap() == -1)) {
                b.memorySwap(m.swap());
            }
            if (m.reservation() != null && m.reservation() > 0) {
                b.memoryReservation(m.reservation());
            }
        }
        if (r.cpu() != null) {
            OciConfig.Cpu c = r.cpu();
            if (c.shares() != null && c.shares() > 0) {
                b.cpuShares(c.shares());
            }
            if (c.quota() != null && (c.quota() > 0 || c.quota() == -1)) {
                b.cpuQuota(c.quota());
            }
            if (c.period() != null && c.period() > 0) {
                b.cpuPeriod(c.period());
            }
            if (c.realtimePeriod() != null && c.realtimePeriod() > 0) {
                b.cpuRtPeriod(c.realtimePeriod());
            }
            if (c.realtimeRuntime() != null && (c.realtimeRuntime() > 0 || c.realtimeRuntime() == -1)) {
                b.cpuRtRuntime(c.realtimeRuntime());
            }
            if (c.cpus() != null && !c.cpus().isEmpty()) {
                b.cpusetCpus(CpuSet.parse("linux.resources.cpu.cpus", c.cpus()));
            }
            if (c.mems() != null && !c.mems().isEmpty()) {
                b.cpusetMems(CpuSet.parse("linux.resources.cpu.mems", c.mems()));
            }
        }
        if (r.pids() != null && r.pids().limit() != null && r.pids().limit() != 0) {
            b.pidsLimit(r.pids().limit() < 0 ? Resources.UNLIMITED : r.pids().limit());
        }
        if (r.blockIO() != null) {
            OciConfig.BlockIO io = r.blockIO();
            if (io.weight() != null && io.weight() > 0) {
                b.blkioWeight(io.weight());
            }
            throttles(b, DeviceThrottle.Kind.READ_BPS, io.throttleReadBpsDevice());
            throttles(b, DeviceThrottle.Kind.WRITE_BPS, io.throttleWriteBpsDevice());
            throttles(b, DeviceThrottle.Kind.READ_IOPS, io.throttleReadIOPSDevice());
            throttles(b, DeviceThrottle.Kind.WRITE_IOPS, io.throttleWriteIOPSDevice());
        }
        return b.build();
    }

    private static void throttles(Resources.Builder b, DeviceThrottle.Kind kind, List<OciConfig.ThrottleDevice> list) {
        if (list == null) {
            return;
        }
        for (OciConfig.ThrottleDevice t : list) {
            if (t.major() != null && t.minor() != null && t.rate() != null && t.rate() > 0) {
                b.deviceThrottle(new DeviceThrottle(kind, t.major().intValue(), t.minor().intValue(), t.rate()));
            }
        }
    }
}
