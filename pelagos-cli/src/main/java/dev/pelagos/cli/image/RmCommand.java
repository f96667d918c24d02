package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.ImageStore;

/** {@code image rm REF...}: removes names; blobs and layers go at the next {@code image prune}. */
final class RmCommand implements Command {
    @Override
    public Options options() {
        return new Options().flag("-f, --force", "accepted for compatibility");
    }

    @Override
    public String usage() {
        return "IMAGE [IMAGE...]";
    }

    @Override
    public String summary() {
        return "Remove images";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.required(0, "an IMAGE");
        ImageStore store = ImageCommands.store(cli);
        for (String ref : a.positionals()) {
            cli.out().println("Removed image: " + store.remove(ref));
        }
        return 0;
    }
}
