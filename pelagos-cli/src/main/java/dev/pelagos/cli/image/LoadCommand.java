package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.archive.ImageLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code image load [-i FILE] [--tag REF]}: an OCI layout or Docker archive tar from stdin or FILE. */
final class LoadCommand implements Command {
    @Override
    public Options options() {
        return new Options().value("-i, --input", "FILE", "read from FILE instead of standard input")
                .value("--tag", "REFERENCE", "name the loaded image (single-image archives)")
                .flag("-q, --quiet", "print no progress");
    }

    @Override
    public String usage() {
        return "[-i FILE] [--tag REFERENCE]";
    }

    @Override
    public String summary() {
        return "Load images from an OCI layout or Docker archive tar";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.atMost(0);
        String input = a.get("input");
        try (InputStream in = input == null ? System.in : Files.newInputStream(Path.of(input))) {
            for (String name : new ImageLoader(ImageCommands.store(cli)).load(new java.io.BufferedInputStream(in, 1 << 16),
                    a.get("tag"), dev.pelagos.image.ProgressListener.NONE)) {
                cli.out().println("Loaded " + name);
            }
        } catch (NoSuchFileException e) {
            throw PelagosException.notFound("archive " + input + " not found", "give the path of a tar made by 'image save'");
        } catch (IOException e) {
            throw PelagosException.io("read " + (input == null ? "standard input" : input), e);
        }
        return 0;
    }
}
