package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.LocalImage;
import dev.pelagos.image.manifest.ConfigDocument;
import java.util.List;

/** {@code image history IMAGE}: the build steps recorded in the config, newest first. */
final class HistoryCommand implements Command {
    @Override
    public Options options() {
        return new Options().flag("--no-trunc", "show whole commands");
    }

    @Override
    public String usage() {
        return "[--no-trunc] IMAGE";
    }

    @Override
    public String summary() {
        return "Show how an image's layers were made";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String ref = a.required(0, "an IMAGE");
        a.atMost(1);
        LocalImage i = ImageCommands.store(cli).get(ref);
        List<ConfigDocument.HistoryEntry> h = i.configDocument().history();
        OutputFormat.Table t = new OutputFormat.Table("CREATED", "CREATED BY", "LAYER", "COMMENT");
        for (int k = h.size() - 1; k >= 0; k--) {
            ConfigDocument.HistoryEntry e = h.get(k);
            String by = e.createdBy() == null ? "" : e.createdBy();
            if (!a.has("no-trunc") && by.length() > 60) {
                by = by.substring(0, 57) + "...";
            }
            t.row(e.created() == null ? "" : e.created(), by, e.emptyLayer() ? "-" : "yes", e.comment() == null ? "" : e.comment());
        }
        cli.out().print(t);
        return 0;
    }
}
