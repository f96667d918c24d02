package dev.pelagos.cli.container;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.container.Container;
import dev.pelagos.runtime.container.ContainerRecord;
import dev.pelagos.runtime.container.ContainerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code pelagos inspect}: Docker-shaped JSON for one or more containers. */
public final class InspectCommand implements Command {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    @Override
    public Options options() {
        return new Options().value("-f, --format", "TEMPLATE", "print each container through a Go template ({{.State.Status}}, {{json .Config}})");
    }

    @Override
    public String usage() {
        return "[OPTIONS] CONTAINER [CONTAINER...]";
    }

    @Override
    public String summary() {
        return "Show a container's state and configuration as JSON";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.required(0, "a CONTAINER");
        dev.pelagos.cli.GoTemplate template = a.has("format") ? dev.pelagos.cli.GoTemplate.parse(a.get("format")) : null;
        ContainerContext ctx = new ContainerContext(cli);
        List<Object> out = new ArrayList<>();
        PelagosException missing = null;
        for (String ref : a.positionals()) {
            try {
                out.add(view(ctx.containers.store().find(ref)));
            } catch (PelagosException e) {
                if (missing != null) {
                    cli.err().println("pelagos: error: " + missing.getMessage());
                }
                missing = e;
            }
        }
        // like Docker: what was found is printed, then the error for what was not
        if (template == null) {
            cli.out().println(GSON.toJson(out));
        } else {
            for (Object doc : out) {
                cli.out().println(template.render(GSON.toJsonTree(doc)));
            }
        }
        if (missing != null) {
            throw missing;
        }
        return 0;
    }

    /** The inspect document, with Docker's field names. */
    static Map<String, Object> view(Container c) {
        ContainerRecord r = c.record();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", c.status().lower());
        state.put("Running", c.running());
        state.put("Paused", c.status() == ContainerStatus.PAUSED);
        state.put("OOMKilled", c.state().oomKilled());
        state.put("Dead", c.status() == ContainerStatus.DEAD);
        state.put("Pid", c.running() ? c.state().pid() : 0);
        state.put("ExitCode", c.state().exitCode() == null ? 0 : c.state().exitCode());
        state.put("StartedAt", c.state().startedAtMillis() == 0 ? "0001-01-01T00:00:00Z"
                : Instant.ofEpochMilli(c.state().startedAtMillis()).toString());
        state.put("FinishedAt", c.state().finishedAtMillis() == 0 ? "0001-01-01T00:00:00Z"
                : Instant.ofEpochMilli(c.state().finishedAtMillis()).toString());
        if (c.state().health() != null) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("Status", c.state().health().status());
            h.put("FailingStreak", c.state().health().failingStreak());
            h.put("Log", List.of(Map.of("ExitCode", c.state().health().lastExitCode(), "Output",
                    c.state().health().lastOutput())));
            state.put("Health", h);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Hostname", r.hostname());
        config.put("User", r.uid() == null ? "" : r.uid() + ":" + r.gid());
        config.put("Tty", r.tty());
        config.put("OpenStdin", r.interactive());
        config.put("Env", r.env());
        config.put("Cmd", r.command());
        config.put("Image", r.image() != null ? r.image() : r.rootfs());
        config.put("WorkingDir", r.workdir());
        config.put("Labels", r.labels());
        config.put("StopSignal", r.stopSignal());
        List<Map<String, Object>> mounts = new ArrayList<>();
        for (ContainerRecord.MountInfo m : r.mounts()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("Type", m.type());
            if (m.type().equals("volume")) {
                mm.put("Name", m.source());
            } else {
                mm.put("Source", m.source());
            }
            mm.put("Destination", m.destination());
            mm.put("RW", !m.readOnly());
            mounts.add(mm);
        }
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("AutoRemove", r.autoRemove());
        host.put("PortBindings", ports(c.publishedPorts()));
        host.put("CapAdd", dev.pelagos.runtime.spec.Capability.names(r.capabilities()));
        host.put("Dns", c.dnsServers());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Id", r.id());
        doc.put("Created", r.created());
        doc.put("Path", r.command().isEmpty() ? "" : r.command().getFirst());
        doc.put("Args", r.command().size() > 1 ? r.command().subList(1, r.command().size()) : List.of());
        doc.put("State", state);
        doc.put("Name", "/" + r.name());
        doc.put("LogPath", c.logFile().toString());
        doc.put("HostConfig", host);
        doc.put("Mounts", mounts);
        var endpoints = c.networkEndpoints();
        if (!endpoints.isEmpty()) {
            // Docker's layout, so `inspect` users find the addresses where they look for them
            Map<String, Object> networks = new LinkedHashMap<>();
            Map<String, Object> first = null;
            for (var e : endpoints) {
                Map<String, Object> endpoint = new LinkedHashMap<>();
                endpoint.put("IPAddress", e.address().getHostAddress());
                endpoint.put("IPPrefixLen", e.prefixLength());
                endpoint.put("Gateway", e.gateway().getHostAddress());
                endpoint.put("Aliases", c.networkAliases());
                networks.put(e.network(), endpoint);
                first = first == null ? endpoint : first;
            }
            Map<String, Object> net = new LinkedHashMap<>(first); // the first network's, at the top as Docker has them
            net.remove("Aliases");
            net.put("Ports", ports(c.publishedPorts()));
            net.put("Networks", networks);
            doc.put("NetworkSettings", net);
        }
        doc.put("Config", config);
        return doc;
    }

    /** Docker's shape: "80/tcp" -> [{"HostIp": "0.0.0.0", "HostPort": "8080"}]. */
    private static Map<String, Object> ports(List<dev.pelagos.runtime.spec.PortMapping> published) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var p : published) {
            Map<String, Object> binding = new LinkedHashMap<>();
            binding.put("HostIp", p.hostIp() == null ? "0.0.0.0" : p.hostIp().getHostAddress());
            binding.put("HostPort", Integer.toString(p.hostPort()));
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) out.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>());
            list.add(binding);
        }
        return out;
    }
}
