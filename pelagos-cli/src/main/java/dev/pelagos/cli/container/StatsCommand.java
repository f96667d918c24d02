package dev.pelagos.cli.container;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import dev.pelagos.cgroup.CgroupDriver;
import dev.pelagos.cgroup.Stats;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code pelagos stats}: live resource use of running containers, like {@code docker stats}. */
public final class StatsCommand implements Command {
    @Override
    public Options options() {
        return new Options()
                .flag("--no-stream", "print one sample and exit")
                .flag("-a, --all", "include stopped containers")
                .value("--format", "FORMAT", "table or json");
    }

    @Override
    public String usage() {
        return "[OPTIONS] [CONTAINER...]";
    }

    @Override
    public String summary() {
        return "Show containers' CPU, memory, pids and block I/O use";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        OutputFormat format = OutputFormat.parse(a.get("format"));
        ContainerContext ctx = new ContainerContext(cli);
        CgroupDriver driver = CgroupDriver.detect();
        long hostMemory = hostMemory();
        Map<String, Stats> previous = new LinkedHashMap<>();
        boolean first = true;
        while (true) {
            List<Container> cs = new ArrayList<>();
            if (a.positionals().isEmpty()) {
                for (Container c : ctx.containers.store().list()) {
                    if (c.running() || a.has("all")) {
                        cs.add(c);
                    }
                }
            } else {
                for (String ref : a.positionals()) {
                    cs.add(ctx.containers.store().find(ref));
                }
            }
            Map<String, Stats> now = new LinkedHashMap<>();
            for (Container c : cs) {
                if (c.running() && c.record().cgroupPath() != null) {
                    try {
                        now.put(c.id().value(), driver.open(c.record().cgroupPath()).stats());
                    } catch (PelagosException e) {
                        if (e.kind() != ErrorKind.NOT_FOUND) {
                            throw e;
                        }
                    }
                }
            }
            if (first) {
                // CPU % needs two samples: take the second a moment later, as docker stats does
                previous = now;
                first = false;
                sleep(500);
                continue;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Container c : cs) {
                Stats s = now.get(c.id().value());
                Stats p = previous.get(c.id().value());
                rows.add(row(c, s, p, hostMemory));
            }
            if (format == OutputFormat.JSON) {
                cli.out().println(InspectCommand.GSON.toJson(rows));
            } else {
                if (!a.has("no-stream")) {
                    cli.out().print("\033[2J\033[H");
                }
                OutputFormat.Table t = new OutputFormat.Table("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %",
                        "BLOCK I/O", "PIDS");
                for (Map<String, Object> r : rows) {
                    t.row((String) r.get("ID"), (String) r.get("Name"), (String) r.get("CPUPerc"), (String) r.get("MemUsage"),
                            (String) r.get("MemPerc"), (String) r.get("BlockIO"), (String) r.get("PIDs"));
                }
                cli.out().print(t);
            }
            cli.out().flush();
            if (a.has("no-stream")) {
                return 0;
            }
            previous = now;
            sleep(1000);
        }
    }

    private static Map<String, Object> row(Container c, Stats s, Stats p, long hostMemory) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ID", c.id().shortId());
        r.put("Name", c.name());
        if (s == null) {
            r.put("CPUPerc", "--");
            r.put("MemUsage", "-- / --");
            r.put("MemPerc", "--");
            r.put("BlockIO", "-- / --");
            r.put("PIDs", "--");
            return r;
        }
        double cpu = p == null ? 0 : s.cpuPercentSince(p);
        long limit = s.memoryLimitBytes() == Stats.UNLIMITED ? hostMemory : s.memoryLimitBytes();
        r.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpu));
        r.put("MemUsage", Sizes.human(s.memoryWorkingSetBytes()) + " / " + Sizes.human(limit));
        r.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", s.memoryPercent(hostMemory)));
        r.put("BlockIO", Sizes.human(s.blockReadBytes()) + " / " + Sizes.human(s.blockWriteBytes()));
        r.put("PIDs", Long.toString(s.pidsCurrent()));
        return r;
    }

    private static long hostMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return 0;
    }

    private static void sleep(long ms) throws PelagosException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PelagosException(ErrorKind.INTERNAL, "interrupted", null);
        }
    }
}
