package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.LocalImage;
import dev.pelagos.image.archive.ImageSaver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** {@code image save IMAGE... [-o FILE]}: an OCI image-layout tar on stdout or in FILE (written whole or not at all). */
final class SaveCommand implements Command {
    @Override
    public Options options() {
        return new Options().value("-o, --output", "FILE", "write to FILE instead of standard output");
    }

    @Override
    public String usage() {
        return "[-o FILE] IMAGE [IMAGE...]";
    }

    @Override
    public String summary() {
        return "Write images as an OCI image-layout tar";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.required(0, "an IMAGE");
        ImageSaver saver = new ImageSaver(ImageCommands.store(cli));
        String output = a.get("output");
        if (output == null) {
            if (System.console() != null) {
                throw PelagosException.invalid("refusing to write an image archive to a terminal", "use -o FILE or redirect stdout");
            }
            saver.save(a.positionals(), cli.out());
            cli.out().flush();
            return 0;
        }
        Path target = Path.of(output).toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            List<LocalImage> saved;
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                saved = saver.save(a.positionals(), out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (LocalImage i : saved) {
                cli.out().println("Saved " + i.reference() + " (" + i.layerDirs().size() + " layers) → " + output);
            }
        } catch (IOException e) {
            throw PelagosException.io("write " + output, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the temp file is named after our pid
            }
        }
        return 0;
    }
}
