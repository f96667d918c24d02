package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The limits for one container's cgroup, as Docker's flags and OCI {@code linux.resources} mean them.
 * An empty optional leaves the kernel's default (or, on {@code update}, the current value).
 * Build with {@link #builder()}; {@link Builder#build()} rejects values the kernel would refuse.
 *
 * @param memoryBytes hard memory limit (memory.max / memory.limit_in_bytes); {@link #UNLIMITED} = none
 * @param memorySwapBytes memory plus swap, Docker's meaning; {@link #UNLIMITED} = unlimited swap
 * @param memoryReservationBytes soft limit (memory.low / memory.soft_limit_in_bytes)
 * @param cpuQuotaMicros CPU time per period; {@link #UNLIMITED} = no quota
 * @param cpuPeriodMicros the CFS period (default 100000)
 * @param cpuShares relative weight, 2..262144 (v2: converted to cpu.weight)
 * @param cpuRtPeriodMicros the real-time scheduling period (v1 cpu.rt_period_us; v2 has none)
 * @param cpuRtRuntimeMicros real-time CPU time per period (v1 cpu.rt_runtime_us); {@link #UNLIMITED} = no limit
 * @param cpusetCpus CPUs the container may run on
 * @param cpusetMems memory nodes the container may allocate from
 * @param pidsLimit most tasks at once; {@link #UNLIMITED} = no limit
 * @param blkioWeight relative block I/O weight, 10..1000
 * @param deviceThrottles per-device bps/iops limits
 * @param oomScoreAdj not a cgroup knob: the runtime writes it to /proc/PID/oom_score_adj; kept here
 *     because it arrives with the other limits and is validated the same way
 * @param swapFollowsMemory Docker's default when only a memory limit is given: allow as much swap
 *     as memory (memory+swap = 2 x memory) where the kernel accounts swap, and nothing where it
 *     does not. {@link ResourceFlags} sets it; OCI bundles leave it off (runc's meaning: swap
 *     unchanged). Applied when the cgroup is created, not on update.
 */
public record Resources(
        OptionalLong memoryBytes,
        OptionalLong memorySwapBytes,
        OptionalLong memoryReservationBytes,
        OptionalLong cpuQuotaMicros,
        OptionalLong cpuPeriodMicros,
        OptionalLong cpuShares,
        OptionalLong cpuRtPeriodMicros,
        OptionalLong cpuRtRuntimeMicros,
        Optional<CpuSet> cpusetCpus,
        Optional<CpuSet> cpusetMems,
        OptionalLong pidsLimit,
        OptionalInt blkioWeight,
        List<DeviceThrottle> deviceThrottles,
        OptionalInt oomScoreAdj,
        boolean swapFollowsMemory) {

    /** "No limit" for memoryBytes, memorySwapBytes, cpuQuotaMicros and pidsLimit. */
    public static final long UNLIMITED = -1;
    /** Docker's floor: below this a container cannot even start its init. */
    public static final long MIN_MEMORY_BYTES = 6L << 20;
    /** The kernel's CFS bounds (kernel/sched/core.c: 1 ms .. 1 s). */
    public static final long MIN_CPU_PERIOD = 1000;
    public static final long MAX_CPU_PERIOD = 1_000_000;
    public static final long MIN_CPU_QUOTA = 1000;
    public static final long DEFAULT_CPU_PERIOD = 100_000;
    public static final long MIN_CPU_SHARES = 2;
    public static final long MAX_CPU_SHARES = 262_144;
    public static final int MIN_BLKIO_WEIGHT = 10;
    public static final int MAX_BLKIO_WEIGHT = 1000;
    /** Podman's default --pids-limit; see {@link ResourceFlags#build(CgroupDriver)}. */
    public static final long DEFAULT_PIDS_LIMIT = 2048;

    public Resources {
        Objects.requireNonNull(memoryBytes);
        Objects.requireNonNull(memorySwapBytes);
        Objects.requireNonNull(memoryReservationBytes);
        Objects.requireNonNull(cpuQuotaMicros);
        Objects.requireNonNull(cpuPeriodMicros);
        Objects.requireNonNull(cpuShares);
        Objects.requireNonNull(cpuRtPeriodMicros);
        Objects.requireNonNull(cpuRtRuntimeMicros);
        Objects.requireNonNull(cpusetCpus);
        Objects.requireNonNull(cpusetMems);
        Objects.requireNonNull(pidsLimit);
        Objects.requireNonNull(blkioWeight);
        Objects.requireNonNull(oomScoreAdj);
        deviceThrottles = List.copyOf(deviceThrottles);
        PelagosException problem = firstProblem(memoryBytes, memorySwapBytes, memoryReservationBytes, cpuQuotaMicros,
                cpuPeriodMicros, cpuShares, pidsLimit, blkioWeight, deviceThrottles, oomScoreAdj);
        if (problem == null) {
            problem = realtimeProblem(cpuRtPeriodMicros, cpuRtRuntimeMicros);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem.getMessage(), problem);
        }
    }

    /** No limits at all. */
    public static Resources none() {
        return new Builder().buildUnchecked();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.memory = memoryBytes;
        b.memorySwap = memorySwapBytes;
        b.memoryReservation = memoryReservationBytes;
        b.cpuQuota = cpuQuotaMicros;
        b.cpuPeriod = cpuPeriodMicros;
        b.cpuShares = cpuShares;
        b.cpuRtPeriod = cpuRtPeriodMicros;
        b.cpuRtRuntime = cpuRtRuntimeMicros;
        b.cpusetCpus = cpusetCpus;
        b.cpusetMems = cpusetMems;
        b.pidsLimit = pidsLimit;
        b.blkioWeight = blkioWeight;
        b.deviceThrottles.addAll(deviceThrottles);
        b.oomScoreAdj = oomScoreAdj;
        b.swapFollowsMemory = swapFollowsMemory;
        return b;
    }

    boolean setsMemory() {
        return memoryBytes.isPresent() || memorySwapBytes.isPresent() || memoryReservationBytes.isPresent();
    }

    boolean setsCpu() {
        return cpuQuotaMicros.isPresent() || cpuPeriodMicros.isPresent() || cpuShares.isPresent() || setsRealtime();
    }

    boolean setsRealtime() {
        return cpuRtPeriodMicros.isPresent() || cpuRtRuntimeMicros.isPresent();
    }

    boolean setsCpuset() {
        return cpusetCpus.isPresent() || cpusetMems.isPresent();
    }

    boolean setsPids() {
        return pidsLimit.isPresent();
    }

    boolean setsBlockIo() {
        return blkioWeight.isPresent() || !deviceThrottles.isEmpty();
    }

    /** v2 cpu.weight (1..10000) for a v1 shares value (2..262144), the conversion runc and crun use. */
    static long cpuWeightFromShares(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** v2 io.weight (1..10000) for a blkio weight (10..1000), mapping the two ranges linearly. */
    static long ioWeightFromBlkioWeight(int weight) {
        return 1 + ((long) (weight - 10) * 9999) / 990;
    }

    private static PelagosException firstProblem(OptionalLong memory, OptionalLong swap, OptionalLong reservation,
            OptionalLong quota, OptionalLong period, OptionalLong shares, OptionalLong pids, OptionalInt blkioWeight,
            List<DeviceThrottle> throttles, OptionalInt oomScoreAdj) {
        boolean memoryLimited = memory.isPresent() && memory.getAsLong() != UNLIMITED;
        if (memoryLimited && memory.getAsLong() < MIN_MEMORY_BYTES) {
            return PelagosException.invalid("memory limit " + human(memory.getAsLong()) + " is below the minimum of 6MiB",
                    "give --memory at least 6m");
        }
        if (swap.isPresent()) {
            long s = swap.getAsLong();
            if (s != UNLIMITED && s <= 0) {
                return PelagosException.invalid("invalid memory-swap limit " + s,
                        "use a size, or -1 for unlimited swap");
            }
            if (memory.isEmpty()) {
                return PelagosException.invalid("a memory-swap limit needs a memory limit",
                        "set --memory too, e.g. --memory 512m --memory-swap 1g");
            }
            if (s != UNLIMITED && (!memoryLimited || s < memory.getAsLong())) {
                return PelagosException.invalid("memory-swap limit " + human(s) + " is below the memory limit "
                        + (memoryLimited ? human(memory.getAsLong()) : "(unlimited)"),
                        "--memory-swap is memory plus swap: give at least --memory, or -1");
            }
        }
        if (reservation.isPresent()) {
            if (reservation.getAsLong() < 0) {
                return PelagosException.invalid("invalid memory reservation " + reservation.getAsLong(), "use a size");
            }
            if (memoryLimited && reservation.getAsLong() > memory.getAsLong()) {
                return PelagosException.invalid("memory reservation " + human(reservation.getAsLong())
                        + " is above the memory limit " + human(memory.getAsLong()),
                        "the reservation is a soft limit: make it smaller than --memory");
            }
        }
        if (quota.isPresent() && quota.getAsLong() != UNLIMITED && quota.getAsLong() < MIN_CPU_QUOTA) {
            return PelagosException.invalid("cpu quota " + quota.getAsLong() + "µs is below the kernel's minimum of 1000µs",
                    "give --cpu-quota at least 1000, or -1 for none (--cpus 0.01 is the smallest --cpus)");
        }
        if (period.isPresent() && (period.getAsLong() < MIN_CPU_PERIOD || period.getAsLong() > MAX_CPU_PERIOD)) {
            return PelagosException.invalid("cpu period " + period.getAsLong() + "µs is outside 1000-1000000µs",
                    "give --cpu-period between 1000 and 1000000 microseconds");
        }
        if (shares.isPresent() && (shares.getAsLong() < MIN_CPU_SHARES || shares.getAsLong() > MAX_CPU_SHARES)) {
            return PelagosException.invalid("cpu shares " + shares.getAsLong() + " are outside 2-262144",
                    "give --cpu-shares between 2 and 262144 (1024 is the default weight)");
        }
        if (pids.isPresent() && pids.getAsLong() != UNLIMITED && pids.getAsLong() <= 0) {
            return PelagosException.invalid("invalid pids limit " + pids.getAsLong(), "use a positive number, or -1 for none");
        }
        if (blkioWeight.isPresent()
                && (blkioWeight.getAsInt() < MIN_BLKIO_WEIGHT || blkioWeight.getAsInt() > MAX_BLKIO_WEIGHT)) {
            return PelagosException.invalid("blkio weight " + blkioWeight.getAsInt() + " is outside 10-1000",
                    "give --blkio-weight between 10 and 1000");
        }
        Set<String> seen = new HashSet<>();
        for (DeviceThrottle t : throttles) {
            if (!seen.add(t.kind() + " " + t.device())) {
                return PelagosException.invalid(t.kind().flag() + " is given twice for device " + t.device(),
                        "give one --" + t.kind().flag() + " per device");
            }
        }
        if (oomScoreAdj.isPresent() && (oomScoreAdj.getAsInt() < -1000 || oomScoreAdj.getAsInt() > 1000)) {
            return PelagosException.invalid("oom-score-adj " + oomScoreAdj.getAsInt() + " is outside -1000..1000",
                    "give --oom-score-adj between -1000 and 1000");
        }
        return null;
    }

    private static PelagosException realtimeProblem(OptionalLong period, OptionalLong runtime) {
        if (period.isPresent() && period.getAsLong() <= 0) {
            return PelagosException.invalid("invalid real-time period " + period.getAsLong() + "µs", "give a positive number of microseconds");
        }
        if (runtime.isPresent() && runtime.getAsLong() != UNLIMITED && runtime.getAsLong() < 0) {
            return PelagosException.invalid("invalid real-time runtime " + runtime.getAsLong() + "µs",
                    "give 0 or more microseconds, or -1 for no limit");
        }
        if (period.isPresent() && runtime.isPresent() && runtime.getAsLong() > period.getAsLong()) {
            return PelagosException.invalid("real-time runtime " + runtime.getAsLong() + "µs is longer than its period "
                    + period.getAsLong() + "µs", "give a runtime of at most the period");
        }
        return null;
    }

    private static String human(long bytes) {
        return Sizes.human(bytes);
    }

    /** Collects limits; {@link #build()} validates them together. */
    public static final class Builder {
        private OptionalLong memory = OptionalLong.empty();
        private OptionalLong memorySwap = OptionalLong.empty();
        private OptionalLong memoryReservation = OptionalLong.empty();
        private OptionalLong cpuQuota = OptionalLong.empty();
        private OptionalLong cpuPeriod = OptionalLong.empty();
        private OptionalLong cpuShares = OptionalLong.empty();
        private OptionalLong cpuRtPeriod = OptionalLong.empty();
        private OptionalLong cpuRtRuntime = OptionalLong.empty();
        private Optional<CpuSet> cpusetCpus = Optional.empty();
        private Optional<CpuSet> cpusetMems = Optional.empty();
        private OptionalLong pidsLimit = OptionalLong.empty();
        private OptionalInt blkioWeight = OptionalInt.empty();
        private final List<DeviceThrottle> deviceThrottles = new ArrayList<>();
        private OptionalInt oomScoreAdj = OptionalInt.empty();
        private boolean swapFollowsMemory;

        private Builder() {
        }

        /** A hard memory limit; {@link #UNLIMITED} removes it. */
        public Builder memory(long bytes) {
            memory = OptionalLong.of(bytes);
            return this;
        }

        /** Memory plus swap; {@link #UNLIMITED} for unlimited swap. */
        public Builder memorySwap(long bytes) {
            memorySwap = OptionalLong.of(bytes);
            return this;
        }

        public Builder memoryReservation(long bytes) {
            memoryReservation = OptionalLong.of(bytes);
            return this;
        }

        /** Microseconds per period; {@link #UNLIMITED} for none. */
        public Builder cpuQuota(long micros) {
            cpuQuota = OptionalLong.of(micros);
            return this;
        }

        public Builder cpuPeriod(long micros) {
            cpuPeriod = OptionalLong.of(micros);
            return this;
        }

        /** Docker's {@code --cpus}: that many CPUs' worth of time per period (0.5 → 50000/100000). */
        public Builder cpus(double cpus) {
            long period = cpuPeriod.orElse(DEFAULT_CPU_PERIOD);
            cpuPeriod = OptionalLong.of(period);
            cpuQuota = OptionalLong.of(Math.round(cpus * period));
            return this;
        }

        /** The real-time period in microseconds (v1 only). */
        public Builder cpuRtPeriod(long micros) {
            cpuRtPeriod = OptionalLong.of(micros);
            return this;
        }

        /** Real-time CPU time per period in microseconds, {@link #UNLIMITED} for none (v1 only). */
        public Builder cpuRtRuntime(long micros) {
            cpuRtRuntime = OptionalLong.of(micros);
            return this;
        }

        public Builder cpuShares(long shares) {
            cpuShares = OptionalLong.of(shares);
            return this;
        }

        public Builder cpusetCpus(CpuSet cpus) {
            cpusetCpus = Optional.of(cpus);
            return this;
        }

        public Builder cpusetMems(CpuSet mems) {
            cpusetMems = Optional.of(mems);
            return this;
        }

        /** A positive limit, or {@link #UNLIMITED}. */
        public Builder pidsLimit(long limit) {
            pidsLimit = OptionalLong.of(limit);
            return this;
        }

        boolean hasPidsLimit() {
            return pidsLimit.isPresent();
        }

        public Builder blkioWeight(int weight) {
            blkioWeight = OptionalInt.of(weight);
            return this;
        }

        public Builder deviceThrottle(DeviceThrottle throttle) {
            deviceThrottles.add(Objects.requireNonNull(throttle));
            return this;
        }

        /** Docker's default swap (as much as memory) when no memory-swap limit is given; see the record. */
        public Builder swapFollowsMemory() {
            swapFollowsMemory = true;
            return this;
        }

        public Builder oomScoreAdj(int adj) {
            oomScoreAdj = OptionalInt.of(adj);
            return this;
        }

        /** Validates the limits together; the first problem is a one-line INVALID_INPUT error. */
        public Resources build() throws PelagosException {
            PelagosException problem = firstProblem(memory, memorySwap, memoryReservation, cpuQuota, cpuPeriod,
                    cpuShares, pidsLimit, blkioWeight, deviceThrottles, oomScoreAdj);
            if (problem == null) {
                problem = realtimeProblem(cpuRtPeriod, cpuRtRuntime);
            }
            if (problem != null) {
                throw problem;
            }
            return buildUnchecked();
        }

        private Resources buildUnchecked() {
            return new Resources(memory, memorySwap, memoryReservation, cpuQuota, cpuPeriod, cpuShares, cpuRtPeriod, cpuRtRuntime, cpusetCpus,
                    cpusetMems, pidsLimit, blkioWeight, deviceThrottles, oomScoreAdj, swapFollowsMemory);
        }
    }
}
