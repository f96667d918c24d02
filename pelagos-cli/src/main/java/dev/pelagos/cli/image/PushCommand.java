package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.ImagePusher;

/** {@code image push REF [--dest REF2]}: uploads the missing blobs, then the manifest. */
final class PushCommand implements Command {
    @Override
    public Options options() {
        return ImageCommands.withAuth(new Options()
                .value("--dest", "REFERENCE", "push under this name instead of the image's own")
                .flag("-q, --quiet", "print no progress"));
    }

    @Override
    public String usage() {
        return "[OPTIONS] IMAGE [DESTINATION]";
    }

    @Override
    public String summary() {
        return "Push an image to a registry";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String ref = a.required(0, "an IMAGE");
        a.atMost(2);
        String dest = a.positionals().size() > 1 ? a.positionals().get(1) : a.get("dest");
        ImagePusher.PushResult r = new ImagePusher(ImageCommands.store(cli)).push(ref, dest, a.has("insecure"),
                ImageCommands.credentials(a), ImageCommands.progress(cli, a.has("quiet")));
        cli.out().println(r.destination() + "@" + r.digest());
        return 0;
    }
}
