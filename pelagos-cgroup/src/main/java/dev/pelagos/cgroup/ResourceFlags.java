package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import java.math.BigDecimal;
import java.util.List;

/**
 * Turns the {@code run}/{@code create}/compose resource flags, spelled as the user typed them, into
 * {@link Resources}. One instance per command line: {@code set} each flag given, then {@link #build}.
 * The CLI declares the flags; this class owns their syntax and meaning (Docker's).
 */
public final class ResourceFlags {
    /** The long flag names this class understands (without dashes). */
    public static final List<String> NAMES = List.of("memory", "memory-swap", "memory-reservation", "cpus",
            "cpu-shares", "cpu-quota", "cpu-period", "cpuset-cpus", "cpuset-mems", "pids-limit", "blkio-weight",
            "device-read-bps", "device-write-bps", "device-read-iops", "device-write-iops", "oom-score-adj");

    private final Resources.Builder builder = Resources.builder();
    private String cpus;
    private String quotaOrPeriod;
    private boolean pidsGiven;
    private boolean memoryGiven;
    private boolean swapGiven;

    /**
     * Applies one flag. {@code name} may carry dashes ("--memory") or not; values use Docker's syntax:
     * sizes like 512m, {@code --memory-swap -1}, {@code --cpus 1.5}, lists like 0-2,4,
     * {@code /dev/sda:1mb}, and {@code --pids-limit 0} or -1 for no limit.
     */
    public ResourceFlags set(String name, String value) throws PelagosException {
        String flag = name.replaceFirst("^-+", "");
        String v = value.strip();
        switch (flag) {
            case "memory", "m" -> {
                long m = size(flag, v);
                if (m != 0) { // Docker: 0 means "not set" for every limit below too
                    builder.memory(m);
                    memoryGiven = true;
                }
            }
            case "memory-swap" -> {
                long s = v.equals("-1") ? Resources.UNLIMITED : size(flag, v);
                if (s != 0) {
                    builder.memorySwap(s);
                    swapGiven = true;
                }
            }
            case "memory-reservation" -> {
                long r = size(flag, v);
                if (r != 0) {
                    builder.memoryReservation(r);
                }
            }
            case "cpus" -> {
                conflict(flag, quotaOrPeriod);
                cpus = v.equals("0") ? null : v;
            }
            case "cpu-quota" -> {
                conflict(flag, cpus);
                quotaOrPeriod = flag;
                long q = whole(flag, v);
                if (q != 0) {
                    builder.cpuQuota(q < 0 ? Resources.UNLIMITED : q);
                }
            }
            case "cpu-period" -> {
                conflict(flag, cpus);
                quotaOrPeriod = flag;
                long p = whole(flag, v);
                if (p != 0) {
                    builder.cpuPeriod(p);
                }
            }
            case "cpu-shares", "c" -> {
                long shares = whole(flag, v);
                if (shares != 0) {
                    builder.cpuShares(shares);
                }
            }
            case "cpuset-cpus" -> builder.cpusetCpus(CpuSet.parse(flag, v));
            case "cpuset-mems" -> builder.cpusetMems(CpuSet.parse(flag, v));
            case "pids-limit" -> {
                long p = whole(flag, v);
                builder.pidsLimit(p <= 0 ? Resources.UNLIMITED : p);
                pidsGiven = true;
            }
            case "blkio-weight" -> {
                long w = whole(flag, v);
                if (w != 0) {
                    builder.blkioWeight((int) within(flag, v, w, Resources.MIN_BLKIO_WEIGHT, Resources.MAX_BLKIO_WEIGHT));
                }
            }
            case "device-read-bps" -> builder.deviceThrottle(DeviceThrottle.parse(DeviceThrottle.Kind.READ_BPS, v));
            case "device-write-bps" -> builder.deviceThrottle(DeviceThrottle.parse(DeviceThrottle.Kind.WRITE_BPS, v));
            case "device-read-iops" -> builder.deviceThrottle(DeviceThrottle.parse(DeviceThrottle.Kind.READ_IOPS, v));
            case "device-write-iops" -> builder.deviceThrottle(DeviceThrottle.parse(DeviceThrottle.Kind.WRITE_IOPS, v));
            case "oom-score-adj" -> {
                builder.oomScoreAdj((int) within(flag, v, whole(flag, v), -1000, 1000));
            }
            default -> throw new IllegalArgumentException("not a resource flag: " + name);
        }
        return this;
    }

    /**
     * The validated limits. With a driver, Podman's default pids limit (2048) applies when
     * {@code --pids-limit} was not given and the host has the pids controller; pass null for none
     * (OCI bundles and {@code update} get only what they ask for).
     */
    public Resources build(CgroupDriver driver) throws PelagosException {
        if (cpus != null) {
            builder.cpus(cpus(cpus));
        }
        if (memoryGiven && !swapGiven) {
            builder.swapFollowsMemory(); // Docker: as much swap as memory, where the kernel accounts swap
        }
        if (!pidsGiven && driver != null && driver.available("pids")) {
            builder.pidsLimit(Resources.DEFAULT_PIDS_LIMIT);
        }
        return builder.build();
    }

    private static double cpus(String v) throws PelagosException {
        BigDecimal d;
        try {
            d = new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw PelagosException.invalid("invalid cpus value '" + v + "'", "use a number of CPUs such as 0.5 or 2");
        }
        int online = Runtime.getRuntime().availableProcessors();
        if (d.compareTo(new BigDecimal("0.01")) < 0 || d.compareTo(BigDecimal.valueOf(online)) > 0) {
            throw PelagosException.invalid("cpus value " + v + " is outside 0.01-" + online,
                    "this host has " + online + " CPUs; give --cpus between 0.01 and " + online);
        }
        return d.doubleValue();
    }

    private static void conflict(String flag, String other) throws PelagosException {
        if (other != null) {
            String a = flag.equals("cpus") ? other : flag;
            throw PelagosException.invalid("--cpus and --" + a + " cannot both be given",
                    "use either --cpus, or --cpu-quota with --cpu-period");
        }
    }

    private static long within(String flag, String v, long value, long min, long max) throws PelagosException {
        if (value < min || value > max) {
            throw PelagosException.invalid(flag + " " + v + " is outside " + min + ".." + max,
                    "give --" + flag + " between " + min + " and " + max);
        }
        return value;
    }

    private static long size(String flag, String v) throws PelagosException {
        return Sizes.parse(flag, v);
    }

    private static long whole(String flag, String v) throws PelagosException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw PelagosException.invalid("invalid " + flag + " value '" + v + "'", "use a whole number");
        }
    }
}
