package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.runtime.launch.RuntimeLog;
import dev.pelagos.runtime.oci.BundlePlanner;
import dev.pelagos.runtime.oci.OciCreate;
import java.nio.file.Path;

/** {@code pelagos create}: OCI create from a bundle; the process waits for {@code pelagos start}. */
public final class CreateCommand implements Command {
    @Override
    public Options options() {
        return bundleOptions(new Options());
    }

    static Options bundleOptions(Options o) {
        return o.value("-b, --bundle", "DIR", "the bundle directory (default: the current directory)")
                .value("--console-socket", "SOCKET", "unix socket that receives the terminal's master fd")
                .value("--pid-file", "FILE", "write the container process's pid to FILE")
                .value("--preserve-fds", "N", "pass N extra file descriptors (3..3+N-1) to the container")
                .flag("--no-pivot", "chroot instead of pivot_root (for roots on ramfs)")
                .flag("--no-new-keyring", "accepted for runc compatibility (no session keyring is made)");
    }

    @Override
    public String usage() {
        return "[OPTIONS] ID";
    }

    @Override
    public String summary() {
        return "Create an OCI container from a bundle (it waits for 'start')";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        a.atMost(2);
        OciCreate.create(OciContext.runtime(cli), request(a, cli, id, true));
        return 0;
    }

    static OciCreate.Request request(Args a, Cli cli, String id, boolean create) throws PelagosException {
        String bundle = a.get("bundle", a.positionals().size() > 1 && create ? a.positionals().get(1) : ".");
        int preserve = 0;
        if (a.has("preserve-fds")) {
            try {
                preserve = Integer.parseInt(a.get("preserve-fds"));
            } catch (NumberFormatException e) {
                preserve = -1;
            }
            if (preserve < 0) {
                throw new UsageException("invalid --preserve-fds '" + a.get("preserve-fds") + "': expected a count", null);
            }
        }
        BundlePlanner.Options o = BundlePlanner.Options.create(path(a.get("pid-file")), path(a.get("console-socket")), preserve,
                a.has("no-pivot")).withLog(runtimeLog(cli));
        return new OciCreate.Request(id, Path.of(bundle), o, cli.systemdCgroup(), cli.paths().seccompCache(),
                w -> OciContext.warn(cli, java.util.List.of(w)));
    }

    /** The global --log/--log-format/--debug, handed on to the helper. */
    static RuntimeLog runtimeLog(Cli cli) {
        return new RuntimeLog(path(cli.logFile()), "json".equals(cli.logFormat()), cli.debug());
    }

    static Path path(String s) {
        return s == null ? null : Path.of(s).toAbsolutePath();
    }
}
