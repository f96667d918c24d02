package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.Cgroup;
import dev.pelagos.cgroup.CgroupDriver;
import dev.pelagos.cgroup.CgroupMount;
import dev.pelagos.cgroup.CgroupPath;
import dev.pelagos.cgroup.ResourceFlags;
import dev.pelagos.cgroup.Resources;
import dev.pelagos.runtime.launch.Linux;
import dev.pelagos.runtime.launch.MountEntry;
import dev.pelagos.runtime.launch.Planner;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.spec.ContainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup: created with its limits before the process exists (so a bad limit fails
 * before anything runs), then handed to the helper as files to write, read and remove.
 */
final class ContainerCgroup {
    private ContainerCgroup() {
    }

    /** The limits, checked against this host's driver; throws on bad input before anything is made. */
    static Resources resources(CgroupDriver driver, ContainerConfig c) throws PelagosException {
        return resources(driver, c.resourceFlags());
    }

    /** The limits recorded for a container, for recreating its cgroup when it starts again. */
    static Resources resources(CgroupDriver driver, Map<String, String> recordedFlags) throws PelagosException {
        ResourceFlags flags = new ResourceFlags();
        for (Map.Entry<String, String> f : recordedFlags.entrySet()) {
            flags.set(f.getKey(), f.getValue());
        }
        return flags.build(driver);
    }

    static String path(ContainerConfig c, String id) throws PelagosException {
        return CgroupPath.forContainer(c.cgroupParent(), id).toString();
    }

    static Planner.CgroupFiles files(CgroupDriver driver, Cgroup cg, Resources r) {
        List<MountEntry> mounts = new ArrayList<>();
        for (CgroupMount m : driver.containerMounts()) {
            long flags = flags(m.flags());
            mounts.add(switch (m.kind()) {
                case MOUNT -> new MountEntry(m.source(), m.target(), m.fstype(), flags, 0,
                        SpecTag.MNT_MKDIR | SpecTag.MNT_NOFOLLOW, m.data());
                case SYMLINK -> new MountEntry(m.source(), m.target(), "", 0, 0, SpecTag.MNT_SYMLINK, "");
                case REMOUNT -> new MountEntry("", m.target(), "", flags, 0, SpecTag.MNT_REMOUNT, m.data());
            });
        }
        return new Planner.CgroupFiles(strings(cg.procsFiles()), strings(cg.oomCounterFiles()), strings(cg.directories()),
                mounts, r.oomScoreAdj().isPresent() ? r.oomScoreAdj().getAsInt() : null);
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }

    private static long flags(List<String> names) {
        long f = 0;
        for (String n : names) {
            f |= switch (n) {
                case "ro" -> Linux.MS_RDONLY;
                case "nosuid" -> Linux.MS_NOSUID;
                case "nodev" -> Linux.MS_NODEV;
                case "noexec" -> Linux.MS_NOEXEC;
                case "relatime" -> Linux.MS_RELATIME;
                default -> 0L;
            };
        }
        return f;
    }
}
