package dev.pelagos.cli.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.Cleanup;
import dev.pelagos.runtime.container.Container;
import java.util.List;

/** {@code pelagos cleanup} (what crashes left behind) and {@code pelagos container prune} (stopped containers). */
public final class CleanupCommands {
    private CleanupCommands() {
    }

    public static final class Stale implements Command {
        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public String usage() {
            return "";
        }

        @Override
        public String summary() {
            return "Remove cgroups, overlay directories and names left behind by containers that no longer exist";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            a.atMost(0);
            ContainerContext ctx = new ContainerContext(cli);
            List<String> removed = new Cleanup(ctx.containers.store(), cli.paths().data().resolve("overlay"),
                    cli.paths().runtime(), ctx.containers.helper().jniLibrary()).run();
            removed.forEach(r -> cli.out().println("removed " + r));
            cli.out().println(removed.isEmpty() ? "No stale resources found." : "Cleaned " + removed.size() + " stale resource(s).");
            return 0;
        }
    }

    public static final class Prune implements Command {
        @Override
        public Options options() {
            return new Options().flag("-f, --force", "do not ask (accepted for compatibility)");
        }

        @Override
        public String usage() {
            return "[-f]";
        }

        @Override
        public String summary() {
            return "Remove every stopped container";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            a.atMost(0);
            ContainerContext ctx = new ContainerContext(cli);
            int n = 0;
            for (Container c : ctx.containers.store().list()) {
                if (!c.running() && c.status() != dev.pelagos.runtime.container.ContainerStatus.CREATED) {
                    ctx.lifecycle.remove(c, false);
                    cli.out().println(c.id().value());
                    n++;
                }
            }
            cli.out().println("Total reclaimed: " + n + " container(s)");
            return 0;
        }
    }
}
