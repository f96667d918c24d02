package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import java.nio.file.Path;

/** cgroup v2 memory controller: memory.max, memory.swap.max, memory.low, memory.oom.group. */
final class V2Memory {
    private V2Memory() {
    }

    static void apply(Path dir, Resources r, boolean creating) throws PelagosException {
        if (r.memoryBytes().isPresent()) {
            long m = r.memoryBytes().getAsLong();
            if (m == Resources.UNLIMITED) {
                CgroupFiles.write(dir, "memory.max", "max", "no memory limit");
            } else {
                CgroupFiles.write(dir, "memory.max", Long.toString(m), "memory limit " + Sizes.human(m));
            }
        }
        if (r.memorySwapBytes().isPresent()) {
            // Docker's --memory-swap is memory + swap; v2 limits swap alone.
            long total = r.memorySwapBytes().getAsLong();
            // (a finite total with no memory limit is refused when Resources are built)
            String swap = total == Resources.UNLIMITED ? "max" : Long.toString(total - r.memoryBytes().orElseThrow());
            CgroupFiles.write(dir, "memory.swap.max", swap,
                    "memory-swap limit " + (total == Resources.UNLIMITED ? "-1" : Sizes.human(total)));
        } else if (creating && r.swapFollowsMemory() && r.memoryBytes().isPresent() && r.memoryBytes().getAsLong() != Resources.UNLIMITED
                && CgroupFiles.exists(dir, "memory.swap.max")) {
            // Docker's default: as much swap as memory (when the kernel accounts swap at all)
            CgroupFiles.write(dir, "memory.swap.max", Long.toString(r.memoryBytes().getAsLong()), "default swap limit");
        }
        if (r.memoryReservationBytes().isPresent()) {
            long low = r.memoryReservationBytes().getAsLong();
            CgroupFiles.write(dir, "memory.low", Long.toString(low), "memory reservation " + Sizes.human(low));
        }
        if (creating && CgroupFiles.exists(dir, "memory.oom.group")) {
            // an OOM kill takes the whole container down, as a unit, rather than leaving it half-alive
            CgroupFiles.write(dir, "memory.oom.group", "1", "memory.oom.group");
        }
    }

    static void stats(Path dir, StatsReader s) throws PelagosException {
        s.memoryUsage = CgroupFiles.readCounter(dir, "memory.current");
        s.memoryLimit = CgroupFiles.exists(dir, "memory.max") ? CgroupFiles.readLimit(dir, "memory.max") : Stats.UNLIMITED;
        s.memoryInactiveFile = CgroupFiles.readKeyed(dir, "memory.stat").getOrDefault("inactive_file", 0L);
        s.oomKills = CgroupFiles.readKeyed(dir, "memory.events").getOrDefault("oom_kill", 0L);
    }
}
