package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.Optional;

/** cgroup v2 cpuset controller: cpuset.cpus and cpuset.mems, checked against what the parent has. */
final class V2Cpuset {
    private V2Cpuset() {
    }

    static void apply(Path dir, Resources r) throws PelagosException {
        write(dir, "cpuset.cpus", "cpuset-cpus", "CPUs", r.cpusetCpus());
        write(dir, "cpuset.mems", "cpuset-mems", "memory nodes", r.cpusetMems());
    }

    private static void write(Path dir, String file, String flag, String noun, Optional<CpuSet> want)
            throws PelagosException {
        if (want.isEmpty()) {
            return;
        }
        checkAvailable(dir.getParent(), file + ".effective", flag, noun, want.get());
        CgroupFiles.write(dir, file, want.get().toString(), flag + " " + want.get());
    }

    /** A clear error for CPUs the host (or the parent cgroup) does not have, instead of EINVAL. */
    static void checkAvailable(Path parent, String effectiveFile, String flag, String noun, CpuSet want)
            throws PelagosException {
        String have = CgroupFiles.readIfExists(parent, effectiveFile);
        if (have == null || have.isEmpty()) {
            return;
        }
        CpuSet available = CpuSet.parse(effectiveFile, have);
        if (!want.isSubsetOf(available)) {
            throw PelagosException.invalid(flag + " " + want + " is not available: this host offers " + noun + " " + have,
                    "give --" + flag + " within " + have);
        }
    }
}
