package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.Map;

/** cgroup v2 cpu controller: cpu.max ("QUOTA PERIOD") and cpu.weight (from shares). */
final class V2Cpu {
    private V2Cpu() {
    }

    static void apply(Path dir, Resources r) throws PelagosException {
        if (r.setsRealtime()) {
            throw new PelagosException(dev.pelagos.base.ErrorKind.UNSUPPORTED,
                    "cannot set a real-time period or runtime: cgroup v2 has no real-time CPU limits",
                    "leave out the real-time settings (realtimePeriod, realtimeRuntime)");
        }
        if (r.cpuQuotaMicros().isPresent() || r.cpuPeriodMicros().isPresent()) {
            // cpu.max holds both numbers: keep whichever one this call does not change
            String current = CgroupFiles.readIfExists(dir, "cpu.max");
            String[] cur = current == null ? new String[] {"max", "100000"} : current.split("\\s+");
            String quota = r.cpuQuotaMicros().isPresent()
                    ? (r.cpuQuotaMicros().getAsLong() == Resources.UNLIMITED ? "max" : Long.toString(r.cpuQuotaMicros().getAsLong()))
                    : cur[0];
            String period = r.cpuPeriodMicros().isPresent() ? Long.toString(r.cpuPeriodMicros().getAsLong())
                    : (cur.length > 1 ? cur[1] : "100000");
            CgroupFiles.write(dir, "cpu.max", quota + " " + period, "cpu quota " + quota + "/" + period + "µs");
        }
        if (r.cpuShares().isPresent()) {
            long shares = r.cpuShares().getAsLong();
            CgroupFiles.write(dir, "cpu.weight", Long.toString(Resources.cpuWeightFromShares(shares)), "cpu shares " + shares);
        }
    }

    static void stats(Path dir, StatsReader s) throws PelagosException {
        Map<String, Long> stat = CgroupFiles.readKeyed(dir, "cpu.stat");
        s.cpuUsageNanos = stat.getOrDefault("usage_usec", 0L) * 1000;
        s.cpuThrottledPeriods = stat.getOrDefault("nr_throttled", 0L);
        s.cpuThrottledNanos = stat.getOrDefault("throttled_usec", 0L) * 1000;
    }
}
