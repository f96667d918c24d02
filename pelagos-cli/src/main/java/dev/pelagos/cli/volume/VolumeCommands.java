package dev.pelagos.cli.volume;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.CommandGroup;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.StoreVerb;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.ContainerStore;
import dev.pelagos.runtime.volume.VolumeStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code pelagos volume create|ls|rm|inspect|prune}. */
public final class VolumeCommands {
    private VolumeCommands() {
    }

    public static CommandGroup group() {
        return new CommandGroup("Manage named volumes")
                .add("create", "Create a volume", () -> verb("[OPTIONS] NAME", "Create a volume",
                        new Options().list("-l, --label", "KEY=VALUE", "set a label"), VolumeCommands::create))
                .add("ls", "List volumes", () -> verb("[--format table|json] [-q]", "List volumes",
                        new Options().value("--format", "FORMAT", "table or json").flag("-q, --quiet", "only names"),
                        VolumeCommands::ls))
                .add("inspect", "Show a volume as JSON", () -> verb("NAME [NAME...]", "Show volumes as JSON",
                        new Options(), VolumeCommands::inspect))
                .add("rm", "Remove volumes", () -> verb("[-f] NAME [NAME...]", "Remove volumes",
                        new Options().flag("-f, --force", "remove even if a container uses it"), VolumeCommands::rm))
                .add("prune", "Remove every volume no container uses", () -> verb("[-f]", "Remove unused volumes",
                        new Options().flag("-f, --force", "do not ask (accepted for compatibility)"), VolumeCommands::prune))
                .alias("list", "ls")
                .alias("remove", "rm");
    }

    private static StoreVerb<VolumeStore> verb(String usage, String summary, Options options, StoreVerb.Body<VolumeStore> body) {
        return new StoreVerb<>(usage, summary, options, cli -> new VolumeStore(cli.paths().volumes()), body);
    }

    /** Volume name → the containers that mount it. */
    private static Map<String, List<String>> users(Cli cli) throws PelagosException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var c : new ContainerStore(cli.paths().runtime()).list()) {
            for (var m : c.record().mounts()) {
                if (m.type().equals("volume")) {
                    out.computeIfAbsent(m.source(), k -> new java.util.ArrayList<>()).add(c.name());
                }
            }
        }
        return out;
    }

    private static int create(Args a, Cli cli, VolumeStore store) throws PelagosException {
        String name = a.required(0, "a volume NAME");
        a.atMost(1);
        Map<String, String> labels = new LinkedHashMap<>();
        for (String l : a.all("label")) {
            int eq = l.indexOf('=');
            labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        cli.out().println(store.create(name, labels).name());
        return 0;
    }

    private static int ls(Args a, Cli cli, VolumeStore store) throws PelagosException {
        a.atMost(0);
        OutputFormat format = OutputFormat.parse(a.get("format"));
        List<VolumeStore.Volume> vs = store.list();
        if (a.has("quiet")) {
            vs.forEach(v -> cli.out().println(v.name()));
        } else if (format == OutputFormat.JSON) {
            cli.out().println(new com.google.gson.GsonBuilder().disableHtmlEscaping().create().toJson(
                    vs.stream().map(VolumeCommands::view).toList()));
        } else {
            OutputFormat.Table t = new OutputFormat.Table("DRIVER", "VOLUME NAME");
            vs.forEach(v -> t.row("local", v.name()));
            cli.out().print(t);
        }
        return 0;
    }

    private static Map<String, Object> view(VolumeStore.Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", v.name());
        m.put("Driver", "local");
        m.put("Mountpoint", v.mountpoint().toString());
        m.put("CreatedAt", v.createdAt());
        m.put("Labels", v.labels());
        m.put("Scope", "local");
        return m;
    }

    private static int inspect(Args a, Cli cli, VolumeStore store) throws PelagosException {
        a.required(0, "a volume NAME");
        List<Object> out = new java.util.ArrayList<>();
        for (String n : a.positionals()) {
            out.add(view(store.get(n)));
        }
        cli.out().println(new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(out));
        return 0;
    }

    private static int rm(Args a, Cli cli, VolumeStore store) throws PelagosException {
        a.required(0, "a volume NAME");
        var users = users(cli);
        for (String n : a.positionals()) {
            store.remove(n, a.has("force"), users.getOrDefault(n, List.of()));
            cli.out().println(n);
        }
        return 0;
    }

    private static int prune(Args a, Cli cli, VolumeStore store) throws PelagosException {
        a.atMost(0);
        List<String> removed = store.prune(users(cli).keySet());
        if (!removed.isEmpty()) {
            cli.out().println("Deleted Volumes:");
            removed.forEach(cli.out()::println);
        }
        cli.out().println("Total reclaimed: " + removed.size() + " volume(s)");
        return 0;
    }
}
