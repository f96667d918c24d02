package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;

/** cgroup v1 pids controller: the same pids.max file as v2. */
final class V1Pids {
    private V1Pids() {
    }

    static void apply(Path dir, Resources r) throws PelagosException {
        V2Pids.apply(dir, r);
    }

    static void stats(Path dir, StatsReader s) throws PelagosException {
        V2Pids.stats(dir, s);
    }
}
