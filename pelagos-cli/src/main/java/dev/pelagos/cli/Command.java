package dev.pelagos.cli;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;

/**
 * One CLI verb. A verb parses its flags, makes one library call and renders the result; it holds
 * no kernel logic (STYLE-ANCHORS §9.6).
 */
public interface Command {
    /** The flags this verb takes; also drives {@code --help}. */
    Options options();

    /** The usage line after the command name, e.g. {@code "[OPTIONS] IMAGE [COMMAND] [ARG...]"}. */
    String usage();

    /** One line for the command list. */
    String summary();

    /**
     * The exit code when the verb fails before producing a result: 1 for most verbs; {@code run}
     * and {@code exec}, whose exit code is otherwise the container's, use Docker's 125.
     */
    default int failureExitCode() {
        return 1;
    }

    /** Runs the verb; the return value is the process exit code. */
    int run(Args args, Cli cli) throws PelagosException;
}
