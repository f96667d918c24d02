package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.ImagePuller;
import dev.pelagos.image.PullOptions;
import dev.pelagos.image.ref.Platform;

/** {@code image pull [--platform OS/ARCH] [-q] REF}: prints the image's digest on stdout when done. */
final class PullCommand implements Command {
    @Override
    public Options options() {
        return ImageCommands.withAuth(new Options()
                .value("--platform", "OS/ARCH[/VARIANT]", "pick this platform from a multi-platform image (default linux/amd64)")
                .flag("-q, --quiet", "print no progress"));
    }

    @Override
    public String usage() {
        return "[OPTIONS] REFERENCE";
    }

    @Override
    public String summary() {
        return "Pull an image from a registry";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String ref = a.required(0, "an image REFERENCE");
        a.atMost(1);
        PullOptions options = PullOptions.DEFAULT.withInsecure(a.has("insecure")).withCredentials(ImageCommands.credentials(a));
        if (a.get("platform") != null) {
            options = options.withPlatform(Platform.parse(a.get("platform")));
        }
        ImagePuller.PullResult r = new ImagePuller(ImageCommands.store(cli)).pull(ref, options,
                ImageCommands.progress(cli, a.has("quiet")));
        cli.out().println(r.image().reference() + "@" + r.image().digest());
        return 0;
    }
}
