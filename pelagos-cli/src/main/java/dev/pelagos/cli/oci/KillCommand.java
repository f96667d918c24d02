package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.spec.Signals;

/** {@code pelagos kill [--all] ID [SIGNAL]}: names with or without SIG, or numbers (podman sends numbers). */
public final class KillCommand implements Command {
    @Override
    public Options options() {
        return new Options().flag("-a, --all", "signal every process in the container's cgroup");
    }

    @Override
    public String usage() {
        return "[--all] ID [SIGNAL]";
    }

    @Override
    public String summary() {
        return "Send a signal to an OCI container (default SIGTERM)";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        a.atMost(2);
        String s = a.positionals().size() > 1 ? a.positionals().get(1) : null;
        // 0 only checks that the process exists (runc's callers probe with it)
        int sig = s == null ? Signals.SIGTERM : s.equals("0") ? 0 : Signals.parse(s);
        OciContext.runtime(cli).kill(id, sig, a.has("all"));
        return 0;
    }
}
