package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;

/** {@code pelagos start ID} on an OCI container: its process goes on to exec the program. */
public final class StartCommand implements Command {
    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public String usage() {
        return "ID";
    }

    @Override
    public String summary() {
        return "Start a created OCI container";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        a.atMost(1);
        OciContext.warn(cli, OciContext.runtime(cli).start(id));
        return 0;
    }
}
