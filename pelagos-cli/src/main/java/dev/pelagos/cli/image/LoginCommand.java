package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.image.registry.Credentials;
import dev.pelagos.image.registry.DockerConfig;
import dev.pelagos.image.registry.RegistryClient;

/** {@code image login REGISTRY -u USER --password-stdin}: checks the credentials, then stores them. */
final class LoginCommand implements Command {
    @Override
    public Options options() {
        return ImageCommands.withAuth(new Options());
    }

    @Override
    public String usage() {
        return "[-u USER] [--password-stdin] REGISTRY";
    }

    @Override
    public String summary() {
        return "Store credentials for a registry";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String registry = a.required(0, "a REGISTRY");
        a.atMost(1);
        Credentials c = ImageCommands.credentials(a);
        if (c == null) {
            java.io.Console console = System.console();
            if (console == null) {
                throw new UsageException("no credentials given and no terminal to ask on", "use -u USER --password-stdin");
            }
            String user = console.readLine("Username: ");
            char[] pw = console.readPassword("Password: ");
            if (user == null || pw == null) {
                throw PelagosException.invalid("login cancelled");
            }
            c = new Credentials(user.strip(), new String(pw));
        }
        RegistryClient.login(registry, a.has("insecure"), c);
        new DockerConfig(DockerConfig.standard().file()).store(registry, c);
        cli.out().println("Login Succeeded (" + registry + " as " + c.username() + ")");
        return 0;
    }
}
