package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;

/**
 * cgroup v1 cpuset controller. Unlike v2, a new v1 cpuset starts with empty cpus and mems and no
 * task may join it until both are filled, so every directory we pass through inherits its parent's.
 */
final class V1Cpuset {
    private V1Cpuset() {
    }

    /** Copies cpuset.cpus and cpuset.mems from the parent where they are empty. */
    static void inherit(Path dir) throws PelagosException {
        for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            String own = CgroupFiles.readIfExists(dir, file);
            if (own != null && own.isEmpty()) {
                String parent = CgroupFiles.read(dir.getParent(), file);
                if (!parent.isEmpty()) {
                    CgroupFiles.write(dir, file, parent, file + " inherited from the parent");
                }
            }
        }
    }

    static void apply(Path dir, Resources r) throws PelagosException {
        if (r.cpusetCpus().isPresent()) {
            CpuSet cpus = r.cpusetCpus().get();
            V2Cpuset.checkAvailable(dir.getParent(), "cpuset.effective_cpus", "cpuset-cpus", "CPUs", cpus);
            CgroupFiles.write(dir, "cpuset.cpus", cpus.toString(), "cpuset-cpus " + cpus);
        }
        if (r.cpusetMems().isPresent()) {
            CpuSet mems = r.cpusetMems().get();
            V2Cpuset.checkAvailable(dir.getParent(), "cpuset.effective_mems", "cpuset-mems", "memory nodes", mems);
            CgroupFiles.write(dir, "cpuset.mems", mems.toString(), "cpuset-mems " + mems);
        }
    }
}
