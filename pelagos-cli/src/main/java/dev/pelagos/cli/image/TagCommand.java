package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;

/** {@code image tag SRC TARGET}. */
final class TagCommand implements Command {
    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public String usage() {
        return "SOURCE TARGET";
    }

    @Override
    public String summary() {
        return "Give an image another name";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String src = a.required(0, "a SOURCE image");
        String target = a.required(1, "a TARGET name");
        a.atMost(2);
        cli.out().println(src + " → " + ImageCommands.store(cli).tag(src, target));
        return 0;
    }
}
