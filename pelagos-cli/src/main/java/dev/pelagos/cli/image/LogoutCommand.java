package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.registry.DockerConfig;

/** {@code image logout REGISTRY}. */
final class LogoutCommand implements Command {
    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public String usage() {
        return "REGISTRY";
    }

    @Override
    public String summary() {
        return "Remove stored credentials for a registry";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String registry = a.required(0, "a REGISTRY");
        a.atMost(1);
        if (!DockerConfig.standard().erase(registry)) {
            throw PelagosException.notFound("not logged in to " + registry, "see ~/.docker/config.json");
        }
        cli.out().println("Removed login credentials for " + registry);
        return 0;
    }
}
