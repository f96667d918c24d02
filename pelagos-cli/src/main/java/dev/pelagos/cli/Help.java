package dev.pelagos.cli;

import dev.pelagos.cli.args.Options;
import java.util.List;

/** Generates {@code --help} text from a verb's option table. */
final class Help {
    private Help() {
    }

    static String forCommand(String fullName, Command c) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(fullName).append(' ').append(c.usage()).append("\n\n").append(c.summary()).append('\n');
        List<Options.Option> opts = c.options().all().stream().filter(o -> !o.hidden()).toList();
        if (!opts.isEmpty()) {
            sb.append("\nOptions:\n");
            for (Options.Option o : opts) {
                String left = String.join(", ", o.names()) + (o.takesValue() ? " " + o.metavar() : "");
                sb.append("  ").append(left);
                sb.append(" ".repeat(Math.max(2, 32 - left.length())));
                sb.append(o.help());
                if (o.repeatable()) {
                    sb.append(" (repeatable)");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
