package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.LocalImage;
import dev.pelagos.image.archive.RootfsImporter;
import java.nio.file.Path;

/** {@code image import TAR NAME}: a root filesystem tarball (plain, gzip or zstd) as a one-layer image. */
final class ImportCommand implements Command {
    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public String usage() {
        return "TARBALL NAME";
    }

    @Override
    public String summary() {
        return "Make an image from a root filesystem tarball";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String tar = a.required(0, "a TARBALL");
        String name = a.required(1, "an image NAME");
        a.atMost(2);
        LocalImage i = new RootfsImporter(ImageCommands.store(cli)).importTar(Path.of(tar), name,
                dev.pelagos.image.ProgressListener.NONE);
        cli.out().println("Imported " + i.reference() + " (" + i.digest() + ")");
        return 0;
    }
}
