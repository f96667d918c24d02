package dev.pelagos.cli.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.Container;
import dev.pelagos.runtime.spec.PortMapping;

/** {@code pelagos port CONTAINER [PORT[/PROTO]]}: its published ports, a line each, as Docker prints them. */
public final class PortCommand implements Command {
    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public String usage() {
        return "CONTAINER [PORT[/PROTOCOL]]";
    }

    @Override
    public String summary() {
        return "List a container's published ports";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String ref = a.required(0, "a CONTAINER");
        a.atMost(2);
        String only = a.positionals().size() > 1 ? a.positionals().get(1) : null;
        if (only != null && !only.contains("/")) {
            only = only + "/tcp";
        }
        Container c = new ContainerContext(cli).containers.store().find(ref);
        if (!c.running()) {
            return 0; // a stopped container has let its ports go
        }
        boolean any = false;
        for (PortMapping p : c.publishedPorts()) {
            String key = p.containerPort() + "/" + p.protocol();
            if (only == null || only.equals(key)) {
                String host = (p.hostIp() == null ? "0.0.0.0" : p.hostIp().getHostAddress()) + ":" + p.hostPort();
                cli.out().println(only == null ? key + " -> " + host : host);
                any = true;
            }
        }
        if (only != null && !any) {
            throw PelagosException.notFound("no public port '" + only + "' published for " + ref, "'pelagos port " + ref + "' lists them");
        }
        return 0;
    }
}
