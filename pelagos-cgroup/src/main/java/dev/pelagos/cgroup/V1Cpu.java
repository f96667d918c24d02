package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.Map;

/** cgroup v1 cpu and cpuacct controllers: cpu.cfs_period_us, cpu.cfs_quota_us, cpu.shares, cpu.rt_*; usage. */
final class V1Cpu {
    private V1Cpu() {
    }

    static void apply(Path dir, Resources r) throws PelagosException {
        if (r.cpuQuotaMicros().isPresent() || r.cpuPeriodMicros().isPresent()) {
            String quota = r.cpuQuotaMicros().isPresent() ? Long.toString(r.cpuQuotaMicros().getAsLong()) : null;
            String period = r.cpuPeriodMicros().isPresent() ? Long.toString(r.cpuPeriodMicros().getAsLong()) : null;
            try {
                writePeriod(dir, period);
                writeQuota(dir, quota);
            } catch (PelagosException e) {
                if (e.kind() != ErrorKind.INVALID_INPUT || period == null || quota == null) {
                    throw e;
                }
                // the pair must be valid after each write; the other order may be the legal one
                writeQuota(dir, quota);
                writePeriod(dir, period);
            }
        }
        if (r.setsRealtime()) {
            realtime(dir, r);
        }
        if (r.cpuShares().isPresent()) {
            long shares = r.cpuShares().getAsLong();
            CgroupFiles.write(dir, "cpu.shares", Long.toString(shares), "cpu shares " + shares);
        }
    }

    /**
     * cpu.rt_period_us and cpu.rt_runtime_us: the kernel checks that the runtime fits the period
     * (and the parent's budget) after each write, so when one order is refused the other is tried.
     */
    private static void realtime(Path dir, Resources r) throws PelagosException {
        String period = r.cpuRtPeriodMicros().isPresent() ? Long.toString(r.cpuRtPeriodMicros().getAsLong()) : null;
        String runtime = r.cpuRtRuntimeMicros().isPresent() ? Long.toString(r.cpuRtRuntimeMicros().getAsLong()) : null;
        try {
            writeIf(dir, "cpu.rt_period_us", period, "real-time period " + period + "µs");
            writeIf(dir, "cpu.rt_runtime_us", runtime, "real-time runtime " + runtime + "µs");
        } catch (PelagosException e) {
            if (e.kind() != ErrorKind.INVALID_INPUT || period == null || runtime == null) {
                throw e;
            }
            writeIf(dir, "cpu.rt_runtime_us", runtime, "real-time runtime " + runtime + "µs");
            writeIf(dir, "cpu.rt_period_us", period, "real-time period " + period + "µs");
        }
    }

    private static void writeIf(Path dir, String file, String value, String what) throws PelagosException {
        if (value != null) {
            CgroupFiles.write(dir, file, value, what);
        }
    }

    private static void writePeriod(Path dir, String period) throws PelagosException {
        if (period != null) {
            CgroupFiles.write(dir, "cpu.cfs_period_us", period, "cpu period " + period + "µs");
        }
    }

    private static void writeQuota(Path dir, String quota) throws PelagosException {
        if (quota != null) {
            CgroupFiles.write(dir, "cpu.cfs_quota_us", quota, "cpu quota " + quota + "µs");
        }
    }

    /** cpuacct has the usage (ns), cpu the throttling counters (throttled_time in ns). */
    static void stats(Path cpuDir, Path cpuacctDir, StatsReader s) throws PelagosException {
        if (cpuacctDir != null) {
            s.cpuUsageNanos = CgroupFiles.readCounter(cpuacctDir, "cpuacct.usage");
        }
        if (cpuDir != null) {
            Map<String, Long> stat = CgroupFiles.readKeyed(cpuDir, "cpu.stat");
            s.cpuThrottledPeriods = stat.getOrDefault("nr_throttled", 0L);
            s.cpuThrottledNanos = stat.getOrDefault("throttled_time", 0L);
        }
    }
}
