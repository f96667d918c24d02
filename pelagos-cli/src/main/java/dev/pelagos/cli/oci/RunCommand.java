package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.oci.BundlePlanner;
import dev.pelagos.runtime.oci.OciCreate;

/**
 * {@code pelagos run} of a bundle (runc's run): create and start in one go; in the foreground it
 * exits with the container's code and removes it, with {@code --detach} it leaves it running.
 */
public final class RunCommand implements Command {
    @Override
    public Options options() {
        return CreateCommand.bundleOptions(new Options()).flag("-d, --detach", "leave the container running in the background")
                .flag("--keep", "keep the stopped container (state, cgroup) until 'delete'");
    }

    @Override
    public String usage() {
        return "[OPTIONS] ID";
    }

    @Override
    public String summary() {
        return "Create and start an OCI container from a bundle";
    }

    @Override
    public int failureExitCode() {
        return 1;
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        a.atMost(1);
        OciCreate.Request rq = CreateCommand.request(a, cli, id, false);
        BundlePlanner.Options o = rq.options();
        boolean detach = a.has("detach");
        BundlePlanner.Options run = o.withMode(detach ? SpecTag.Mode.CREATE : SpecTag.Mode.RUN, false).withKeep(a.has("keep"));
        OciCreate.create(OciContext.runtime(cli), new OciCreate.Request(id, rq.bundle(), run, rq.systemdCgroup(), rq.seccompCache(), rq.warnings()));
        return 0;
    }
}
