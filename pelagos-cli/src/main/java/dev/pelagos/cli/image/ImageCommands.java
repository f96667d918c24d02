package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.CommandGroup;
import dev.pelagos.cli.ProgressPrinter;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.registry.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code pelagos image ...}: the verb group and what its sub-verbs share (store, credentials, progress). */
public final class ImageCommands {
    private ImageCommands() {
    }

    public static CommandGroup group() {
        return new CommandGroup("Manage images")
                .add("pull", "Pull an image from a registry", PullCommand::new)
                .add("push", "Push an image to a registry", PushCommand::new)
                .add("ls", "List images", LsCommand::new)
                .add("rm", "Remove images", RmCommand::new)
                .add("tag", "Give an image another name", TagCommand::new)
                .add("inspect", "Show an image's configuration as JSON", InspectCommand::new)
                .add("history", "Show how an image's layers were made", HistoryCommand::new)
                .add("prune", "Remove unused images, blobs and layers", PruneCommand::new)
                .add("save", "Write images as an OCI image-layout tar", SaveCommand::new)
                .add("load", "Load images from an OCI layout or Docker archive tar", LoadCommand::new)
                .add("import", "Make an image from a root filesystem tarball", ImportCommand::new)
                .add("login", "Store credentials for a registry", LoginCommand::new)
                .add("logout", "Remove stored credentials for a registry", LogoutCommand::new)
                .alias("list", "ls")
                .alias("remove", "rm");
    }

    static ImageStore store(Cli cli) {
        return ImageStore.open(cli.paths().data());
    }

    /** Bars on a terminal, plain lines otherwise, nothing with {@code -q} (also for run's pulls). */
    public static ProgressListener progress(Cli cli, boolean quiet) {
        if (!quiet && System.console() != null && cli.err() == System.err) {
            return new ProgressBars(cli.err());
        }
        return new ProgressPrinter(cli.err(), quiet);
    }

    /** The registry flags shared by pull, push and login. */
    static Options withAuth(Options o) {
        return o.value("-u, --username", "USER", "registry user name")
                .value("--password", "PASSWORD", "registry password (prefer --password-stdin)")
                .flag("--password-stdin", "read the password from standard input")
                .flag("--insecure", "allow plain HTTP to a non-loopback registry");
    }

    /** Credentials from the flags, or null to fall back to the environment and Docker config. */
    static Credentials credentials(Args a) throws PelagosException {
        String user = a.get("username");
        String password = a.get("password");
        if (a.has("password-stdin")) {
            if (password != null) {
                throw new UsageException("--password and --password-stdin are mutually exclusive", "use one of them");
            }
            try {
                password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw PelagosException.io("read the password from standard input", e);
            }
        }
        if (password != null && user == null) {
            throw new UsageException("a password needs a user name", "add -u USER");
        }
        if (user != null && password == null) {
            throw new UsageException("-u needs a password", "add --password-stdin (or --password)");
        }
        return user == null ? null : new Credentials(user, password);
    }
}
