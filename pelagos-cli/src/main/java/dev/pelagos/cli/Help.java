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
        boolean runc = Program.isOciRuntime();
        StringBuilder sb = new StringBuilder();
        if (runc) {
            sb.append("NAME:\n   ").append(fullName).append(" - ").append(c.summary())
                    .append("\n\nUSAGE:\n   ").append(fullName).append(" [command options] ").append(c.usage()).append('\n');
        } else {
            sb.append("Usage: ").append(fullName).append(' ').append(c.usage()).append("\n\n").append(c.summary()).append('\n');
        }
        List<Options.Option> opts = c.options().all().stream().filter(o -> !o.hidden()).toList();
        if (!opts.isEmpty()) {
            sb.append(runc ? "\nOPTIONS:\n" : "\nOptions:\n");
            for (Options.Option o : opts) {
                // urfave/cli lists the long name first and calls every value "value"
                List<String> names = runc ? o.names().stream().sorted((a, b) -> Integer.compare(b.length(), a.length())).toList() : o.names();
                String left = String.join(", ", names) + (o.takesValue() ? " " + (runc ? "value" : o.metavar()) : "");
                sb.append(runc ? "   " : "  ").append(left).append(" ".repeat(Math.max(2, 32 - left.length()))).append(o.help());
                if (o.repeatable() && !runc) {
                    sb.append(" (repeatable)");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
