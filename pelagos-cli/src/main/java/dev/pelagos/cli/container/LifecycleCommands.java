package dev.pelagos.cli.container;

import dev.pelagos.base.Durations;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.Container;
import dev.pelagos.runtime.spec.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The small lifecycle verbs: stop, kill, rm, start, restart, wait. Each is one library call per container. */
public final class LifecycleCommands {
    private LifecycleCommands() {
    }

    /** Runs an action for each named container; reports each failure and keeps going, like Docker. */
    private interface PerContainer {
        void apply(ContainerContext ctx, Container c) throws PelagosException;
    }

    private static int each(Args a, Cli cli, boolean echo, PerContainer action) throws PelagosException {
        a.required(0, "at least one CONTAINER");
        ContainerContext ctx = new ContainerContext(cli);
        List<PelagosException> failures = new ArrayList<>();
        for (String ref : a.positionals()) {
            try {
                action.apply(ctx, ctx.containers.store().find(ref));
                if (echo) {
                    cli.out().println(ref);
                }
            } catch (PelagosException e) {
                failures.add(e);
            }
        }
        if (failures.size() == 1) {
            throw failures.getFirst();
        }
        if (!failures.isEmpty()) {
            for (PelagosException e : failures.subList(0, failures.size() - 1)) {
                cli.err().println("pelagos: error: " + e.getMessage());
            }
            throw failures.getLast();
        }
        return 0;
    }

    static Duration timeout(Args a) throws PelagosException {
        String t = a.get("time", "10");
        if (t.startsWith("-")) {
            return Duration.ofDays(365);
        }
        return Durations.parse("--time", t);
    }

    public static final class Stop implements Command {
        @Override
        public Options options() {
            return new Options().value("-t, --time", "SECONDS", "seconds to wait before killing (default 10)")
                    .value("-s, --signal", "SIGNAL", "signal to stop with (default: the container's stop signal)");
        }

        @Override
        public String usage() {
            return "[OPTIONS] CONTAINER [CONTAINER...]";
        }

        @Override
        public String summary() {
            return "Stop running containers: the stop signal, then SIGKILL after a grace period";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            Duration t = timeout(a);
            Integer sig = a.has("signal") ? Signals.parse(a.get("signal")) : null;
            return each(a, cli, true, (ctx, c) -> ctx.lifecycle.stop(c,
                    sig != null ? sig : Signals.parse(c.record().stopSignal()), t));
        }
    }

    public static final class Kill implements Command {
        @Override
        public Options options() {
            return new Options().value("-s, --signal", "SIGNAL", "signal to send (default KILL)");
        }

        @Override
        public String usage() {
            return "[OPTIONS] CONTAINER [CONTAINER...]";
        }

        @Override
        public String summary() {
            return "Send a signal to running containers";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            int sig = Signals.parse(a.get("signal", "KILL"));
            return each(a, cli, true, (ctx, c) -> ctx.lifecycle.kill(c, sig));
        }
    }

    public static final class Rm implements Command {
        @Override
        public Options options() {
            return new Options().flag("-f, --force", "kill and remove running containers")
                    .flag("-v, --volumes", "accepted for Docker compatibility; named volumes are kept");
        }

        @Override
        public String usage() {
            return "[OPTIONS] CONTAINER [CONTAINER...]";
        }

        @Override
        public String summary() {
            return "Remove containers";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            boolean force = a.has("force");
            return each(a, cli, true, (ctx, c) -> ctx.lifecycle.remove(c, force));
        }
    }

    public static final class Wait implements Command {
        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public String usage() {
            return "CONTAINER [CONTAINER...]";
        }

        @Override
        public String summary() {
            return "Wait for containers to exit and print their exit codes";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            return each(a, cli, false, (ctx, c) -> cli.out().println(ctx.lifecycle.waitFor(c)));
        }
    }

    public static final class Start implements Command {
        @Override
        public Options options() {
            return new Options().flag("-a, --attach", "attach to the output and wait for the exit (prints the log)");
        }

        @Override
        public String usage() {
            return "[OPTIONS] CONTAINER";
        }

        @Override
        public String summary() {
            return "Start a stopped container";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String ref = a.required(0, "a CONTAINER");
            a.atMost(1);
            ContainerContext ctx = new ContainerContext(cli);
            Container c = ctx.containers.store().find(ref);
            if (c.running()) {
                cli.out().println(ref);
                return 0;
            }
            if (a.has("attach")) {
                // start it, print its output as it comes, end with its exit code (Docker's start -a)
                long since = System.currentTimeMillis();
                ctx.lifecycle.startInBackground(c);
                new LogsCommand().run(Args.parse("pelagos logs", new LogsCommand().options(),
                        List.of("--follow", "--since", java.time.Instant.ofEpochMilli(since).toString(), ref)), cli);
                return ctx.lifecycle.waitFor(c);
            }
            cli.out().flush();
            ctx.lifecycle.start(c); // becomes the helper, which prints the name once it runs
            return 1;
        }
    }

    public static final class Restart implements Command {
        @Override
        public Options options() {
            return new Options().value("-t, --time", "SECONDS", "seconds to wait before killing (default 10)");
        }

        @Override
        public String usage() {
            return "[OPTIONS] CONTAINER";
        }

        @Override
        public String summary() {
            return "Stop and start a container again";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String ref = a.required(0, "a CONTAINER");
            a.atMost(1);
            ContainerContext ctx = new ContainerContext(cli);
            Container c = ctx.containers.store().find(ref);
            c = ctx.lifecycle.stop(c, Signals.parse(c.record().stopSignal()), timeout(a));
            cli.out().flush();
            ctx.lifecycle.start(c);
            return 1;
        }
    }
}
