package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import java.nio.file.Path;
import java.util.Map;

/**
 * cgroup v1 memory controller: memory.limit_in_bytes, memory.memsw.limit_in_bytes (memory + swap,
 * Docker's --memory-swap exactly), memory.soft_limit_in_bytes.
 */
final class V1Memory {
    static final String MEMSW = "memory.memsw.limit_in_bytes";

    private V1Memory() {
    }

    static void apply(Path dir, Resources r, boolean creating) throws PelagosException {
        Long memsw = null; // -1 = unlimited
        if (r.memorySwapBytes().isPresent()) {
            if (!CgroupFiles.exists(dir, MEMSW)) {
                throw new PelagosException(ErrorKind.UNSUPPORTED,
                        "cannot set a memory-swap limit: the kernel does not account swap (no " + MEMSW + " in " + dir + ")",
                        "boot the host with swapaccount=1, or leave out --memory-swap");
            }
            memsw = r.memorySwapBytes().getAsLong();
        } else if (creating && r.swapFollowsMemory() && r.memoryBytes().isPresent() && r.memoryBytes().getAsLong() != Resources.UNLIMITED
                && CgroupFiles.exists(dir, MEMSW)) {
            memsw = 2 * r.memoryBytes().getAsLong(); // Docker's default: as much swap as memory
        }
        if (r.memoryBytes().isPresent()) {
            long memory = r.memoryBytes().getAsLong();
            if (memory == Resources.UNLIMITED && memsw == null && CgroupFiles.exists(dir, MEMSW)) {
                memsw = Resources.UNLIMITED; // no memory limit leaves nothing for a memory+swap limit to add to
            }
            long currentMemsw = unlimitedAsMax(CgroupFiles.readLimit(dir, MEMSW));
            String what = memory == Resources.UNLIMITED ? "no memory limit" : "memory limit " + Sizes.human(memory);
            if (memsw == null) {
                if (unlimitedAsMax(memory) > currentMemsw) {
                    throw PelagosException.invalid(what + " is above the current memory-swap limit "
                            + Sizes.human(currentMemsw), "give --memory-swap as well");
                }
                CgroupFiles.write(dir, "memory.limit_in_bytes", Long.toString(memory), what);
            } else if (unlimitedAsMax(memory) <= currentMemsw) {
                // the kernel insists on memory <= memory+swap after every single write: order matters
                CgroupFiles.write(dir, "memory.limit_in_bytes", Long.toString(memory), what);
                writeMemsw(dir, memsw);
            } else {
                writeMemsw(dir, memsw);
                CgroupFiles.write(dir, "memory.limit_in_bytes", Long.toString(memory), what);
            }
        }
        if (r.memoryReservationBytes().isPresent()) {
            long soft = r.memoryReservationBytes().getAsLong();
            CgroupFiles.write(dir, "memory.soft_limit_in_bytes", Long.toString(soft), "memory reservation " + Sizes.human(soft));
        }
    }

    private static void writeMemsw(Path dir, long memsw) throws PelagosException {
        CgroupFiles.write(dir, MEMSW, Long.toString(memsw),
                "memory-swap limit " + (memsw == Resources.UNLIMITED ? "-1" : Sizes.human(memsw)));
    }

    private static long unlimitedAsMax(long limit) {
        return limit == -1 ? Long.MAX_VALUE : limit;
    }

    static void stats(Path dir, StatsReader s) throws PelagosException {
        s.memoryUsage = CgroupFiles.readCounter(dir, "memory.usage_in_bytes");
        s.memoryLimit = CgroupFiles.exists(dir, "memory.limit_in_bytes")
                ? CgroupFiles.readLimit(dir, "memory.limit_in_bytes") : Stats.UNLIMITED;
        Map<String, Long> stat = CgroupFiles.readKeyed(dir, "memory.stat");
        s.memoryInactiveFile = stat.getOrDefault("total_inactive_file", stat.getOrDefault("inactive_file", 0L));
        s.oomKills = CgroupFiles.readKeyed(dir, "memory.oom_control").getOrDefault("oom_kill", 0L);
    }
}
