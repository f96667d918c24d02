package dev.pelagos.cgroup;

/** Mutable accumulator the controllers fill in; turned into an immutable {@link Stats} at the end. */
final class StatsReader {
    long cpuUsageNanos;
    long cpuThrottledPeriods;
    long cpuThrottledNanos;
    long memoryUsage;
    long memoryInactiveFile;
    long memoryLimit = Stats.UNLIMITED;
    long pidsCurrent;
    long pidsLimit = Stats.UNLIMITED;
    long blockRead;
    long blockWrite;
    long oomKills;

    Stats toStats() {
        return new Stats(cpuUsageNanos, cpuThrottledPeriods, cpuThrottledNanos, memoryUsage, memoryInactiveFile,
                memoryLimit, pidsCurrent, pidsLimit, blockRead, blockWrite, oomKills, System.nanoTime());
    }
}
