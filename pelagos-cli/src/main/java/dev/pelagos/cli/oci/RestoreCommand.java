package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.runtime.oci.OciRestore;

/** {@code pelagos restore --detach [OPTIONS] ID}: an OCI container made again from a checkpoint. */
public final class RestoreCommand implements Command {
    @Override
    public Options options() {
        return CheckpointCommand.criuOptions(new Options())
                .value("-b, --bundle", "DIR", "the bundle directory (default: the current directory)")
                .value("--pid-file", "FILE", "write the restored container process's pid to FILE")
                .value("--console-socket", "SOCKET", "accepted for runc compatibility (a terminal cannot be restored yet)")
                .flag("-d, --detach", "return once the container runs (required)")
                .flag("--no-pivot", "accepted for runc compatibility")
                .flag("--no-subreaper", "accepted for runc compatibility (a detached restore needs none)");
    }

    @Override
    public String usage() {
        return "--detach [OPTIONS] ID";
    }

    @Override
    public String summary() {
        return "Restore an OCI container from a checkpoint with CRIU";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        a.atMost(1);
        if (!a.has("detach")) {
            throw new UsageException("pelagos restore needs --detach (-d): a restore in the foreground is not supported",
                    "restore with -d, then follow the container with 'pelagos state " + id + "'");
        }
        OciRestore.restore(OciContext.runtime(cli), CreateCommand.request(a, cli, id, false), CheckpointCommand.criu(a, cli));
        return 0;
    }
}
