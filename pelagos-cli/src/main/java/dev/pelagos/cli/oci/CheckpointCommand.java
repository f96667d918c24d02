package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.oci.CheckpointOptions;
import dev.pelagos.runtime.oci.OciCheckpoint;
import java.nio.file.Path;

/** {@code pelagos checkpoint [OPTIONS] ID}: CRIU dumps a running OCI container (runc's flags). */
public final class CheckpointCommand implements Command {
    @Override
    public Options options() {
        return criuOptions(new Options())
                .value("--parent-path", "DIR", "a pre-dump's image directory, relative to --image-path")
                .flag("--leave-running", "keep the container running after the checkpoint")
                .flag("--pre-dump", "dump only memory, for a later checkpoint with --parent-path");
    }

    /** The flags checkpoint and restore share. */
    static Options criuOptions(Options o) {
        return o.value("--image-path", "DIR", "CRIU's image directory (default: ./checkpoint)")
                .value("--work-path", "DIR", "CRIU's work directory and logs (default: the image directory)")
                .flag("--tcp-established", "allow open TCP connections")
                .flag("--ext-unix-sk", "allow external unix sockets")
                .flag("--shell-job", "allow a shell job (a terminal from outside)")
                .flag("--file-locks", "handle file locks")
                .value("--manage-cgroups-mode", "MODE", "CRIU's cgroup mode: soft, full, strict or ignore");
    }

    static CheckpointOptions criu(Args a, Cli cli) {
        return new CheckpointOptions(Path.of(a.get("image-path", "checkpoint")), a.has("work-path") ? Path.of(a.get("work-path")) : null,
                a.has("tcp-established"), a.has("ext-unix-sk"), a.has("shell-job"), a.has("file-locks"), a.get("manage-cgroups-mode"),
                cli.criu());
    }

    @Override
    public String usage() {
        return "[OPTIONS] ID";
    }

    @Override
    public String summary() {
        return "Checkpoint a running OCI container with CRIU";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        a.atMost(1);
        OciCheckpoint.checkpoint(OciContext.runtime(cli), new OciCheckpoint.Request(id, criu(a, cli),
                a.has("parent-path") ? Path.of(a.get("parent-path")) : null, a.has("leave-running"), a.has("pre-dump")));
        return 0;
    }
}
