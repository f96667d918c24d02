package dev.pelagos.cli;

import java.util.function.Supplier;

/**
 * The verb table. A {@code switch} rather than a map of instances so that starting one verb loads
 * only that verb's classes (start-up time is a feature, DECISIONS §B). To add a verb: one case in
 * {@link #lookup} and one row in {@link #LIST}.
 */
final class Commands {
    private Commands() {
    }

    /** Verb name and one-line summary, in the order {@code --help} lists them. */
    private static final String[][] LIST = {
        {"run", "Create and run a container"},
        {"rootfs", "Manage named root filesystem directories"},
        {"lisp", "Run a Lisp program, evaluate an expression, or start a REPL"},
    };

    static Supplier<Command> lookup(String name) {
        return switch (name) {
            case "run" -> dev.pelagos.cli.container.RunCommand::new;
            case "rootfs" -> dev.pelagos.cli.rootfs.RootfsCommands::group;
            case "lisp" -> dev.pelagos.cli.lisp.LispCommand::new;
            default -> null;
        };
    }

    static String listing() {
        StringBuilder sb = new StringBuilder("""
                Usage: pelagos [GLOBAL OPTIONS] COMMAND [ARG...]

                A fast, daemonless Linux container runtime.

                Commands:
                """);
        for (String[] row : LIST) {
            sb.append("  ").append(row[0]).append(" ".repeat(Math.max(2, 12 - row[0].length()))).append(row[1]).append('\n');
        }
        sb.append("""

                Global options:
                  --debug              print stack traces with errors
                  --root DIR           state directory for the OCI runtime commands
                  --log FILE           write the OCI runtime log to FILE
                  --log-format FORMAT  text or json
                  --version            print the version

                Run 'pelagos COMMAND --help' for more on a command.
                """);
        return sb.toString();
    }
}
