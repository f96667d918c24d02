package dev.pelagos.cli.oci;

import dev.pelagos.base.Durations;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.Stats;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.oci.OciRuntime;
import dev.pelagos.runtime.oci.OciStateJson;
import dev.pelagos.runtime.oci.OciStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pelagos events [--stats] [--interval D] ID}: one JSON object per line, runc's shape:
 * {@code {"type":"stats","id":...,"data":{...}}} every interval, {@code "oom"} when the kernel
 * OOM-kills in the container; ends when the container stops.
 */
public final class EventsCommand implements Command {
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
        long ooms = -1;
        while (true) {
            Stats s = rt.stats(id);
            if (s == null) {
                return 0;
            }
            if (ooms >= 0 && s.oomKills() > ooms) {
                Map<String, Object> oom = new LinkedHashMap<>();
                oom.put("type", "oom");
                oom.put("id", id);
                cli.out().println(OciStateJson.compact(oom));
            }
            ooms = s.oomKills();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", "stats");
            e.put("id", id);
            e.put("data", data(s));
            cli.out().println(OciStateJson.compact(e));
            cli.out().flush();
            // the sample above is taken even when the container just stopped, so its last OOM is reported
            if (a.has("stats") || rt.find(id).status() == OciStatus.STOPPED) {
                return 0;
            }
            try {
                Thread.sleep(Math.max(1, interval.toMillis()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    private static Map<String, Object> data(Stats s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cpu", Map.of("usage", Map.of("total", s.cpuUsageNanos()),
                "throttling", Map.of("throttledPeriods", s.cpuThrottledPeriods(), "throttledTime", s.cpuThrottledNanos())));
        d.put("memory", Map.of("usage", Map.of("usage", s.memoryUsageBytes(), "limit", s.memoryLimitBytes()),
                "raw", Map.of("inactive_file", s.memoryInactiveFileBytes())));
        d.put("pids", Map.of("current", s.pidsCurrent(), "limit", s.pidsLimit()));
        d.put("blkio", Map.of("readBytes", s.blockReadBytes(), "writeBytes", s.blockWriteBytes()));
        d.put("oomKills", s.oomKills());
        return d;
    }
}
