package dev.pelagos.cli;

import dev.pelagos.cli.args.Options;
import java.util.List;

/**
 * Generates {@code --help} text from a verb's option table: Docker's layout, or runc's
 * ({@code NAME:}, {@code USAGE:}, {@code OPTIONS:}) when the program answers as an OCI runtime.
 */
final class Help {
    private Help() {
    }

    static String forCommand(String fullName, Command c) {
        if (Program.isOciRuntime()) {
            return runcLayout(fullName, c);
        }
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

    private static String runcLayout(String fullName, Command c) {
        StringBuilder sb = new StringBuilder("NAME:\n   ").append(fullName).append(" - ").append(c.summary())
                .append("\n\nUSAGE:\n   ").append(fullName).append(" [command options] ").append(c.usage()).append('\n');
        List<Options.Option> opts = c.options().all().stream().filter(o -> !o.hidden()).toList();
        if (!opts.isEmpty()) {
            sb.append("\nOPTIONS:\n");
            for (Options.Option o : opts) {
                // urfave/cli lists the long name first
                List<String> names = o.names().stream().sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
                String left = String.join(", ", names) + (o.takesValue() ? " value" : "");
                sb.append("   ").append(left).append(" ".repeat(Math.max(2, 32 - left.length()))).append(o.help()).append('\n');
            }
        }
        return sb.toString();
    }
}
