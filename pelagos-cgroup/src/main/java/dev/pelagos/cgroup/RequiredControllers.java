package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.util.List;

/** Each limit needs its controller: say which one is missing rather than drop the limit. */
final class RequiredControllers {
    private RequiredControllers() {
    }

    /**
     * @param blockIo the block I/O controller's name on this driver ("io" on v2, "blkio" on v1)
     * @param missing how a missing controller is described ("not available", "not mounted")
     * @param hint    what the user can do about it
     */
    static void check(Resources r, List<String> available, String blockIo, String missing, String hint)
            throws PelagosException {
        record Need(boolean wanted, String controller, String limits) {
        }
        for (Need n : List.of(new Need(r.setsMemory(), "memory", "--memory/--memory-swap/--memory-reservation"),
                new Need(r.setsCpu(), "cpu", "--cpus/--cpu-quota/--cpu-period/--cpu-shares"),
                new Need(r.setsCpuset(), "cpuset", "--cpuset-cpus/--cpuset-mems"),
                new Need(r.setsPids(), "pids", "--pids-limit"),
                new Need(r.setsBlockIo(), blockIo, "--blkio-weight/--device-*-bps/--device-*-iops"))) {
            if (n.wanted() && !available.contains(n.controller())) {
                throw new PelagosException(ErrorKind.UNSUPPORTED,
                        "cannot apply " + n.limits() + ": the " + n.controller() + " cgroup controller is " + missing
                                + " (this host has: " + (available.isEmpty() ? "none" : String.join(" ", available)) + ")",
                        hint);
            }
        }
    }
}
