package dev.pelagos.cli.network;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.CommandGroup;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.StoreVerb;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.Container;
import dev.pelagos.runtime.container.ContainerStore;
import dev.pelagos.runtime.network.BridgeNetwork;
import dev.pelagos.runtime.network.NetworkDef;
import dev.pelagos.runtime.network.NetworkStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code pelagos network create|ls|rm|inspect|connect|disconnect}: bridge networks (REFERENCE §7.2). */
public final class NetworkCommands {
    private NetworkCommands() {
    }

    public static CommandGroup group() {
        return new CommandGroup("Manage bridge networks")
                .add("create", "Create a network", () -> verb("--subnet CIDR NAME", "Create a bridge network",
                        new Options().value("--subnet", "CIDR", "its IPv4 subnet, e.g. 10.88.1.0/24 (required)"), NetworkCommands::create))
                .add("ls", "List networks", () -> verb("[--format table|json] [-q]", "List networks",
                        new Options().value("--format", "FORMAT", "table or json").flag("-q, --quiet", "only names"), NetworkCommands::ls))
                .add("inspect", "Show networks as JSON", () -> verb("NAME [NAME...]", "Show networks as JSON", new Options(),
                        NetworkCommands::inspect))
                .add("rm", "Remove networks", () -> verb("NAME [NAME...]", "Remove networks no container is on",
                        new Options(), NetworkCommands::rm))
                .add("connect", "Connect a running container to a network", () -> verb("[--alias NAME] NETWORK CONTAINER",
                        "Put a running container on one more network (eth1, eth2, ...; no default route)",
                        new Options().list("--alias", "NAME", "another name it answers to on its networks"),
                        (a, cli, store) -> connect(a, cli, true)))
                .add("disconnect", "Disconnect a running container from a network", () -> verb("NETWORK CONTAINER",
                        "Take a running container off a network other than its first", new Options(),
                        (a, cli, store) -> connect(a, cli, false)))
                .add("prune", "Remove every network no container is on", () -> verb("[-f]", "Remove every user network no container is on",
                        new Options().flag("-f, --force", "do not ask (accepted for compatibility)"), NetworkCommands::prune))
                .alias("list", "ls")
                .alias("remove", "rm");
    }

    private static StoreVerb<NetworkStore> verb(String usage, String summary, Options options, StoreVerb.Body<NetworkStore> body) {
        return new StoreVerb<>(usage, summary, options, cli -> new NetworkStore(cli.paths().data()), body);
    }

    private static int create(Args a, Cli cli, NetworkStore store) throws PelagosException {
        String name = a.required(0, "a network NAME");
        a.atMost(1);
        if (!a.has("subnet")) {
            throw new dev.pelagos.cli.args.UsageException("network create needs --subnet CIDR", "e.g. pelagos network create "
                    + name + " --subnet 10.88.1.0/24");
        }
        NetworkDef n = store.create(name, a.get("subnet"));
        cli.out().println("Created network '" + n.name() + "' (" + n.subnet() + ")");
        return 0;
    }

    private static int ls(Args a, Cli cli, NetworkStore store) throws PelagosException {
        a.atMost(0);
        OutputFormat format = OutputFormat.parse(a.get("format"));
        List<NetworkDef> all = store.list();
        if (a.has("quiet")) {
            all.forEach(n -> cli.out().println(n.name()));
        } else if (format == OutputFormat.JSON) {
            cli.out().println(new com.google.gson.GsonBuilder().disableHtmlEscaping().create().toJson(all.stream().map(n -> view(n, Map.of()))
                    .toList()));
        } else {
            OutputFormat.Table t = new OutputFormat.Table("NAME", "SUBNET", "GATEWAY", "BRIDGE");
            all.forEach(n -> t.row(n.name(), n.subnet().toString(), n.subnet().gateway().getHostAddress(), n.bridge()));
            cli.out().print(t);
        }
        return 0;
    }

    private static Map<String, Object> view(NetworkDef n, Map<String, Object> containers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Driver", "bridge");
        m.put("Created", n.created());
        m.put("Subnet", n.subnet().toString());
        m.put("Gateway", n.subnet().gateway().getHostAddress());
        m.put("Bridge", n.bridge());
        m.put("Containers", containers);
        return m;
    }

    /** Docker's shape: container id -> its name, device and address on this network, for the running ones. */
    private static Map<String, Object> attached(Cli cli, String network) throws PelagosException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Container c : new ContainerStore(cli.paths().runtime()).list()) {
            if (!c.running()) {
                continue;
            }
            for (var e : c.networkEndpoints()) {
                if (e.network().equals(network)) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("Name", c.name());
                    x.put("Device", e.device());
                    x.put("IPv4Address", e.address().getHostAddress() + "/" + e.prefixLength());
                    x.put("Aliases", c.networkAliases());
                    out.put(c.id().value(), x);
                }
            }
        }
        return out;
    }

    /** The containers on a network by name, running or not (as Docker: a stopped one would start on it). */
    private static List<String> onNetwork(Cli cli, String network) throws PelagosException {
        List<String> out = new ArrayList<>();
        for (Container c : new ContainerStore(cli.paths().runtime()).list()) {
            if (c.networkEndpoints().stream().anyMatch(e -> e.network().equals(network))) {
                out.add(c.name());
            }
        }
        return out;
    }

    private static int inspect(Args a, Cli cli, NetworkStore store) throws PelagosException {
        a.required(0, "a network NAME");
        List<Object> out = new ArrayList<>();
        for (String name : a.positionals()) {
            out.add(view(store.get(name), attached(cli, name)));
        }
        cli.out().println(new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(out));
        return 0;
    }

    private static int connect(Args a, Cli cli, boolean connect) throws PelagosException {
        String network = a.required(0, "a NETWORK");
        String ref = a.required(1, "a CONTAINER");
        a.atMost(2);
        var containers = new dev.pelagos.runtime.container.Containers(cli.paths(), Cli.home());
        Container c = containers.store().find(ref);
        if (connect) {
            var aliases = new dev.pelagos.runtime.spec.DnsSettings.Builder();
            for (String alias : a.all("alias")) {
                aliases.alias(alias);
            }
            containers.lifecycle().connect(c, network, aliases.build(dev.pelagos.runtime.spec.NetworkMode.BRIDGE).aliases());
        } else {
            containers.lifecycle().disconnect(c, network);
        }
        return 0;
    }

    private static int rm(Args a, Cli cli, NetworkStore store) throws PelagosException {
        a.required(0, "a network NAME");
        for (String name : a.positionals()) {
            NetworkDef n = store.get(name);
            if (name.equals(NetworkDef.DEFAULT)) {
                store.remove(name); // refused with its reason
            }
            List<String> users = onNetwork(cli, name);
            if (!users.isEmpty()) {
                throw PelagosException.conflict("network '" + name + "' is in use by " + String.join(", ", users),
                        "remove those containers first (pelagos rm -f)");
            }
            remove(cli, store, n);
            cli.out().println(name);
        }
        return 0;
    }

    private static int prune(Args a, Cli cli, NetworkStore store) throws PelagosException {
        a.atMost(0);
        List<String> removed = pruneUnused(cli);
        if (!removed.isEmpty()) {
            cli.out().println("Deleted Networks:");
            removed.forEach(cli.out()::println);
        }
        return 0;
    }

    /** Removes every user network no container (running or stopped) is on; their names. */
    public static List<String> pruneUnused(Cli cli) throws PelagosException {
        NetworkStore store = new NetworkStore(cli.paths().data());
        List<String> removed = new ArrayList<>();
        for (NetworkDef n : store.list()) {
            if (!n.name().equals(NetworkDef.DEFAULT) && onNetwork(cli, n.name()).isEmpty()) {
                remove(cli, store, n);
                removed.add(n.name());
            }
        }
        return removed;
    }

    /** The bridge, its NAT elements and the definition, in that order (a failure leaves the definition to try again). */
    private static void remove(Cli cli, NetworkStore store, NetworkDef n) throws PelagosException {
        new BridgeNetwork(cli.paths().runtime()).removeBridge(n);
        new dev.pelagos.runtime.network.NetworkNat(new dev.pelagos.runtime.launch.Helper(Cli.home()).jniLibrary()).disable(n);
        store.remove(n.name());
    }
}
