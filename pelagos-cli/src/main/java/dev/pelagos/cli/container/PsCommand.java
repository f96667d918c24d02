package dev.pelagos.cli.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.Container;
import dev.pelagos.runtime.container.ContainerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code pelagos ps}: list containers, like {@code docker ps}. */
public final class PsCommand implements Command {
    @Override
    public Options options() {
        return new Options()
                .flag("-a, --all", "show all containers (default: running only)")
                .flag("-q, --quiet", "only show IDs")
                .flag("--no-trunc", "do not truncate IDs and commands")
                .list("-f, --filter", "KEY=VALUE", "filter: name=, id=, status=, health=, label=, network=, publish=, ancestor=")
                .value("--format", "FORMAT", "table or json");
    }

    @Override
    public String usage() {
        return "[OPTIONS]";
    }

    @Override
    public String summary() {
        return "List containers";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.atMost(0);
        OutputFormat format = OutputFormat.parse(a.get("format"));
        ContainerContext ctx = new ContainerContext(cli);
        List<Container> shown = new ArrayList<>();
        for (Container c : ctx.containers.store().list()) {
            if ((a.has("all") || c.running()) && matches(c, a.all("filter"))) {
                shown.add(c);
            }
        }
        if (a.has("quiet")) {
            shown.forEach(c -> cli.out().println(a.has("no-trunc") ? c.id().value() : c.id().shortId()));
            return 0;
        }
        if (format == OutputFormat.JSON) {
            List<Object> out = new ArrayList<>();
            for (Container c : shown) {
                out.add(InspectCommand.view(c));
            }
            cli.out().println(InspectCommand.GSON.toJson(out));
            return 0;
        }
        OutputFormat.Table t = new OutputFormat.Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        for (Container c : shown) {
            String cmd = String.join(" ", c.record().command());
            if (!a.has("no-trunc") && cmd.length() > 20) {
                cmd = cmd.substring(0, 19) + "…";
            }
            String image = c.record().image() != null ? c.record().image() : c.record().rootfs();
            t.row(a.has("no-trunc") ? c.id().value() : c.id().shortId(), image, "\"" + cmd + "\"",
                    ContainerContext.ago(Instant.parse(c.record().created())), status(c), ports(c), c.name());
        }
        cli.out().print(t);
        return 0;
    }

    /** Docker's column: "0.0.0.0:8080->80/tcp, ..." while it runs (a stopped container's ports are let go). */
    static String ports(Container c) {
        if (!c.running()) {
            return "";
        }
        return String.join(", ", c.publishedPorts().stream().map(dev.pelagos.runtime.spec.PortMapping::describe).toList());
    }

    static String status(Container c) {
        return switch (c.status()) {
            case RUNNING -> "Up " + ContainerContext.human(java.time.Duration.ofMillis(
                    System.currentTimeMillis() - c.state().startedAtMillis()))
                    + (c.state().health() == null ? "" : " (" + c.state().health().status() + ")");
            case PAUSED -> "Up (Paused)";
            case CREATED -> "Created";
            case EXITED -> "Exited (" + c.state().exitCode() + ") "
                    + ContainerContext.ago(Instant.ofEpochMilli(c.state().finishedAtMillis()));
            case DEAD -> "Dead";
        };
    }

    private static boolean matches(Container c, List<String> filters) throws PelagosException {
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw PelagosException.invalid("invalid --filter '" + f + "': expected KEY=VALUE");
            }
            String k = f.substring(0, eq);
            String v = f.substring(eq + 1);
            boolean ok = switch (k) {
                case "name" -> c.name().contains(v);
                case "id" -> c.id().value().startsWith(v);
                case "status" -> c.status().lower().equals(v) || v.equals("exited") && c.status() == ContainerStatus.DEAD;
                case "health" -> c.state().health() != null && c.state().health().status().equals(v)
                        || v.equals("none") && c.state().health() == null;
                case "label" -> {
                    int e2 = v.indexOf('=');
                    yield e2 < 0 ? c.record().labels().containsKey(v)
                            : v.substring(e2 + 1).equals(c.record().labels().get(v.substring(0, e2)));
                }
                case "network" -> c.networkEndpoints().stream().anyMatch(e -> e.network().equals(v));
                case "publish" -> c.publishedPorts().stream().anyMatch(p -> v.equals(Integer.toString(p.containerPort()))
                        || v.equals(p.containerPort() + "/" + p.protocol()));
                case "ancestor" -> v.equals(c.record().image());
                default -> throw PelagosException.invalid("unknown --filter key '" + k + "'",
                        "use name, id, status, health, label, network, publish or ancestor");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
