package dev.pelagos.cli;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** A verb with sub-verbs ({@code image pull}, {@code volume ls}); dispatches on the first argument. */
public class CommandGroup implements Command {
    private final String summary;
    private final Map<String, Supplier<Command>> subs = new LinkedHashMap<>();
    private final Map<String, String> summaries = new LinkedHashMap<>();

    public CommandGroup(String summary) {
        this.summary = summary;
    }

    public CommandGroup add(String name, String summary, Supplier<Command> sub) {
        subs.put(name, sub);
        summaries.put(name, summary);
        return this;
    }

    /** Another spelling of a sub-verb (e.g. {@code ls} for {@code list}), not listed in help. */
    public CommandGroup alias(String alias, String of) {
        subs.put(alias, subs.get(of));
        return this;
    }

    @Override
    public Options options() {
        return new Options().stopAtFirstPositional();
    }

    @Override
    public String usage() {
        return "COMMAND";
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public int run(Args args, Cli cli) throws PelagosException {
        throw new IllegalStateException("groups are dispatched by Main");
    }

    Supplier<Command> sub(String name) {
        return subs.get(name);
    }

    String listing(String fullName) {
        StringBuilder sb = new StringBuilder("Usage: " + fullName + " COMMAND\n\n" + summary + "\n\nCommands:\n");
        summaries.forEach((n, s) -> sb.append("  ").append(n).append(" ".repeat(Math.max(2, 14 - n.length()))).append(s).append('\n'));
        return sb.toString();
    }

    UsageException unknown(String fullName, String name) {
        return new UsageException("unknown command '" + name + "' for '" + fullName + "'", "see '" + fullName + " --help'");
    }
}
