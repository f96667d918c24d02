package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;

/** cgroup v2 pids controller: pids.max ("max" for no limit). */
final class V2Pids {
    private V2Pids() {
    }

    static void apply(Path dir, Resources r) throws PelagosException {
        if (r.pidsLimit().isPresent()) {
            long limit = r.pidsLimit().getAsLong();
            String value = limit == Resources.UNLIMITED ? "max" : Long.toString(limit);
            CgroupFiles.write(dir, "pids.max", value, "pids limit " + value);
        }
    }

    static void stats(Path dir, StatsReader s) throws PelagosException {
        s.pidsCurrent = CgroupFiles.readCounter(dir, "pids.current");
        s.pidsLimit = CgroupFiles.exists(dir, "pids.max") ? CgroupFiles.readLimit(dir, "pids.max") : Stats.UNLIMITED;
    }
}
