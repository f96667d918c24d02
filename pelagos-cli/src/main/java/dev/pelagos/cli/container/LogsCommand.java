package dev.pelagos.cli.container;

import dev.pelagos.base.Durations;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.Container;
import dev.pelagos.runtime.container.ContainerLog;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code pelagos logs}: the container's stdout and stderr, kept apart as the container wrote them. */
public final class LogsCommand implements Command {
    @Override
    public Options options() {
        return new Options()
                .flag("-f, --follow", "keep printing new output until the container exits")
                .value("-n, --tail", "N", "only the last N lines (default: all)")
                .value("--since", "TIME", "only output since a timestamp (RFC 3339) or a duration ago (10m, 1h)")
                .flag("-t, --timestamps", "show timestamps");
    }

    @Override
    public String usage() {
        return "[OPTIONS] CONTAINER";
    }

    @Override
    public String summary() {
        return "Print a container's output";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String ref = a.required(0, "a CONTAINER");
        a.atMost(1);
        int tail = -1;
        if (a.has("tail") && !a.get("tail").equals("all")) {
            try {
                tail = Integer.parseInt(a.get("tail"));
                if (tail < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw PelagosException.invalid("invalid --tail '" + a.get("tail") + "'", "give a number of lines, or all");
            }
        }
        Instant since = a.has("since") ? since(a.get("since")) : null;
        ContainerContext ctx = new ContainerContext(cli);
        Container c = ctx.containers.store().find(ref);
        boolean ts = a.has("timestamps");
        long[] unsettledSince = {0};
        ContainerLog.read(c.logFile(), since, tail, a.has("follow"), () -> {
            try {
                Container now = ctx.lifecycle.refresh(c);
                if (now.running()) {
                    return true;
                }
                // the monitor writes the last output before it records the exit: until the exit is
                // recorded (a container being started, or one whose process just ended), keep
                // following, for a short while at most (a monitor that died never records it)
                if (now.state().exitCode() != null) {
                    return false;
                }
                long t = System.nanoTime();
                if (unsettledSince[0] == 0) {
                    unsettledSince[0] = t;
                }
                return t - unsettledSince[0] < 2_000_000_000L;
            } catch (PelagosException e) {
                return false;
            }
        }, e -> {
            var out = e.stderr() ? cli.err() : cli.out();
            if (ts) {
                out.print(e.time() + " ");
            }
            out.print(e.text());
            if (!e.partial()) {
                out.print('\n');
            }
            out.flush();
        });
        return 0;
    }

    private static Instant since(String v) throws PelagosException {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            if (v.matches("\\d+")) {
                return Instant.ofEpochSecond(Long.parseLong(v));
            }
            return Instant.now().minus(Durations.parse("--since", v));
        }
    }
}
