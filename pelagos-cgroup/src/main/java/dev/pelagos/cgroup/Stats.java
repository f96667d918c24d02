package dev.pelagos.cgroup;

/**
 * One sample of a container's resource use, as {@code pelagos stats} and {@code inspect} show it.
 * Counters a host lacks read as 0; limits read as {@link #UNLIMITED} when there is none.
 *
 * @param cpuUsageNanos total CPU time used, user + system
 * @param cpuThrottledPeriods CFS periods in which the quota ran out (cpu.stat nr_throttled)
 * @param cpuThrottledNanos time spent throttled
 * @param memoryUsageBytes memory charged to the cgroup, page cache included
 * @param memoryInactiveFileBytes reclaimable page cache (docker stats subtracts it)
 * @param memoryLimitBytes the hard limit, or UNLIMITED
 * @param pidsCurrent tasks in the cgroup now
 * @param pidsLimit the pids limit, or UNLIMITED
 * @param blockReadBytes bytes read from block devices
 * @param blockWriteBytes bytes written to block devices
 * @param oomKills processes the kernel OOM-killed in this cgroup
 * @param sampledAtNanos {@link System#nanoTime()} when read, for rates between two samples
 */
public record Stats(
        long cpuUsageNanos,
        long cpuThrottledPeriods,
        long cpuThrottledNanos,
        long memoryUsageBytes,
        long memoryInactiveFileBytes,
        long memoryLimitBytes,
        long pidsCurrent,
        long pidsLimit,
        long blockReadBytes,
        long blockWriteBytes,
        long oomKills,
        long sampledAtNanos) {

    public static final long UNLIMITED = -1;

    /** Usage minus reclaimable cache: what {@code docker stats} shows as MEM USAGE. */
    public long memoryWorkingSetBytes() {
        return Math.max(0, memoryUsageBytes - memoryInactiveFileBytes);
    }

    /**
     * CPU use between an earlier sample and this one, in percent of one CPU (200 = two CPUs busy),
     * as {@code docker stats} shows it.
     */
    public double cpuPercentSince(Stats earlier) {
        long wall = sampledAtNanos - earlier.sampledAtNanos;
        long used = cpuUsageNanos - earlier.cpuUsageNanos;
        return wall <= 0 || used < 0 ? 0.0 : 100.0 * used / wall;
    }

    /** Working set as a percentage of the limit, or of {@code hostMemoryBytes} when unlimited. */
    public double memoryPercent(long hostMemoryBytes) {
        long limit = memoryLimitBytes == UNLIMITED ? hostMemoryBytes : memoryLimitBytes;
        return limit <= 0 ? 0.0 : 100.0 * memoryWorkingSetBytes() / limit;
    }
}
