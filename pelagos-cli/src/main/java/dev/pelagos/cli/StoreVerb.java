package dev.pelagos.cli;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import java.util.function.Function;

/**
 * A verb of a command group over one store (volumes, networks): its usage, summary and options,
 * and a body that gets the store, made for each run from the CLI's paths.
 */
public record StoreVerb<S>(String usage, String summary, Options options, Function<Cli, S> store, Body<S> body) implements Command {
    /** What the verb does with its arguments and the store. */
    public interface Body<S> {
        int run(Args a, Cli cli, S store) throws PelagosException;
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        return body.run(a, cli, store.apply(cli));
    }
}
