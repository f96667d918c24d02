package dev.pelagos.cli.oci;

import dev.pelagos.base.Durations;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.Cgroup;
import dev.pelagos.cgroup.Stats;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.oci.OciContainer;
import dev.pelagos.runtime.oci.OciRuntime;
import dev.pelagos.runtime.oci.OciStateJson;
import dev.pelagos.runtime.oci.OciStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pelagos events [--stats] [--interval D] ID}: one JSON object per line, runc's shape:
 * {@code {"type":"stats","id":...,"data":{...}}} every interval, {@code "oom"} as soon as the
 * kernel OOM-kills in the container (the stats data has runc's fields only, none named like an
 * event); ends when the container stops or is deleted.
 */
public final class EventsCommand implements Command {
    private static final long OOM_POLL_MS = 100;

    @Override
    public Options options() {
        return new Options().flag("--stats", "print one stats sample and exit")
                .value("--interval", "DURATION", "time between stats samples (default 5s)");
    }

    @Override
    public String usage() {
        return "[--stats] [--interval DURATION] ID";
    }

    @Override
    public String summary() {
        return "Print an OCI container's stats and OOM events as JSON lines";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        a.atMost(1);
        OciRuntime rt = OciContext.runtime(cli);
        Duration interval = a.has("interval") ? Durations.parse("--interval", a.get("interval")) : Duration.ofSeconds(5);
        if (a.has("stats")) {
            Stats s = rt.stats(id);
            if (s != null) {
                print(cli, stats(id, s));
            }
            return 0;
        }
        Cgroup cg = rt.requireCgroup(rt.find(id));
        long ooms = cg.oomKillCount();
        long nextStats = System.nanoTime();
        while (true) {
            // the OOM counter is read far more often than stats are sampled, so that an OOM kill is
            // reported as it happens rather than with the next sample
            Long now = oomKills(cg);
            OciContainer c = rt.store().loadOrNull(id);
            if (now == null || c == null) {
                return 0; // deleted meanwhile: the stream ends, as it does when the container stops
            }
            if (now > ooms) {
                Map<String, Object> oom = new LinkedHashMap<>();
                oom.put("type", "oom");
                oom.put("id", id);
                print(cli, oom);
            }
            ooms = now;
            boolean stopped = c.status() == OciStatus.STOPPED;
            if (System.nanoTime() - nextStats >= 0 || stopped) {
                Stats s;
                try {
                    s = rt.stats(id);
                } catch (PelagosException e) {
                    return 0; // gone between the two reads
                }
                if (s != null) {
                    print(cli, stats(id, s));
                }
                nextStats = System.nanoTime() + Math.max(1, interval.toNanos());
            }
            if (stopped) {
                return 0;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(OOM_POLL_MS, (nextStats - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    private static Long oomKills(Cgroup cg) {
        try {
            return cg.exists() ? cg.oomKillCount() : null;
        } catch (PelagosException e) {
            return null;
        }
    }

    private static Map<String, Object> stats(String id, Stats s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "stats");
        e.put("id", id);
        e.put("data", data(s));
        return e;
    }

    private static void print(Cli cli, Map<String, Object> event) {
        cli.out().println(OciStateJson.compact(event));
        cli.out().flush();
    }

    private static Map<String, Object> data(Stats s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cpu", Map.of("usage", Map.of("total", s.cpuUsageNanos()),
                "throttling", Map.of("throttledPeriods", s.cpuThrottledPeriods(), "throttledTime", s.cpuThrottledNanos())));
        d.put("memory", Map.of("usage", Map.of("usage", s.memoryUsageBytes(), "limit", s.memoryLimitBytes()),
                "raw", Map.of("inactive_file", s.memoryInactiveFileBytes())));
        d.put("pids", Map.of("current", s.pidsCurrent(), "limit", s.pidsLimit()));
        d.put("blkio", Map.of("readBytes", s.blockReadBytes(), "writeBytes", s.blockWriteBytes()));
        return d;
    }
}
