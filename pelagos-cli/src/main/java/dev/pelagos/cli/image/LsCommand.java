package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.LocalImage;
import java.util.List;

/** {@code image ls [--format table|json] [-q]}. */
final class LsCommand implements Command {
    @Override
    public Options options() {
        return new Options().value("--format", "FORMAT", "table or json").flag("-q, --quiet", "only references");
    }

    @Override
    public String usage() {
        return "[--format table|json] [-q]";
    }

    @Override
    public String summary() {
        return "List images";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.atMost(0);
        OutputFormat format = OutputFormat.parse(a.get("format"));
        List<LocalImage> images = ImageCommands.store(cli).list();
        if (a.has("quiet")) {
            images.forEach(i -> cli.out().println(i.reference()));
        } else if (format == OutputFormat.JSON) {
            StringBuilder sb = new StringBuilder("[");
            for (LocalImage i : images) {
                sb.append(sb.length() > 1 ? "," : "").append("{\"reference\":").append(OutputFormat.quote(i.reference()))
                        .append(",\"digest\":").append(OutputFormat.quote(i.digest().toString()))
                        .append(",\"layers\":").append(i.layerDirs().size())
                        .append(",\"type\":").append(OutputFormat.quote(i.type()))
                        .append(",\"size\":").append(i.size()).append('}');
            }
            cli.out().println(sb.append(']'));
        } else if (images.isEmpty()) {
            cli.out().println("No images found. Use 'pelagos image pull <name>' to pull one.");
        } else {
            OutputFormat.Table t = new OutputFormat.Table("REFERENCE", "LAYERS", "TYPE", "DIGEST", "SIZE");
            for (LocalImage i : images) {
                t.row(i.reference(), String.valueOf(i.layerDirs().size()), i.type(), i.digest().shortHex(), Sizes.human(i.size()));
            }
            cli.out().print(t);
        }
        return 0;
    }
}
