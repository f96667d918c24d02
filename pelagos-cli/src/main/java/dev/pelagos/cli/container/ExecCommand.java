package dev.pelagos.cli.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.runtime.container.Container;
import dev.pelagos.runtime.container.ExecOperation;
import dev.pelagos.runtime.spec.ExecConfig;
import java.util.ArrayList;
import java.util.List;

/** {@code pelagos exec}: run a process in a running container; exits with that process's code. */
public final class ExecCommand implements Command {
    @Override
    public Options options() {
        return new Options()
                .flag("-d, --detach", "run in the background")
                .flag("-i, --interactive", "keep stdin open")
                .flag("-t, --tty", "allocate a pseudo-terminal")
                .list("-e, --env", "KEY=VALUE", "set an environment variable")
                .value("-w, --workdir", "DIR", "working directory inside the container")
                .value("-u, --user", "UID[:GID]", "user to run as")
                .flag("--privileged", "give the process every capability and no seccomp filter")
                .stopAtFirstPositional();
    }

    @Override
    public String usage() {
        return "[OPTIONS] CONTAINER COMMAND [ARG...]";
    }

    @Override
    public String summary() {
        return "Run a command in a running container";
    }

    @Override
    public int failureExitCode() {
        return 125;
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String ref = a.required(0, "a CONTAINER");
        if (a.positionals().size() < 2) {
            throw new UsageException("'pelagos exec' needs a COMMAND to run", "see 'pelagos exec --help'");
        }
        List<String> env = new ArrayList<>();
        for (String e : a.all("env")) {
            if (e.indexOf('=') < 0) {
                String v = System.getenv(e);
                if (v != null) {
                    env.add(e + "=" + v);
                }
            } else {
                env.add(e);
            }
        }
        String workdir = a.get("workdir");
        if (workdir != null && !workdir.startsWith("/")) {
            throw PelagosException.invalid("invalid --workdir '" + workdir + "': the path must be absolute");
        }
        ExecConfig e = new ExecConfig(a.positionals().subList(1, a.positionals().size()), env, workdir, a.get("user"),
                a.has("tty"), a.has("interactive"), a.has("detach"), a.has("privileged"));
        ContainerContext ctx = new ContainerContext(cli);
        Container c = ctx.containers.store().find(ref);
        cli.out().flush();
        ExecOperation.runInPlace(ctx.containers.helper(), c, e);
        return 125;
    }
}
