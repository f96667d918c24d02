package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import dev.pelagos.runtime.seccomp.SeccompChoice;
import dev.pelagos.runtime.seccomp.SeccompOption;

/**
 * Builds a {@link ContainerConfig}; the {@code *Flag} methods take the CLI's textual syntaxes and
 * reject bad input with the reference's messages, so every client (CLI, compose, library users)
 * validates the same way.
 */
public final class ContainerConfigBuilder {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,62})");
    private static final Pattern DEVICE_RULE = Pattern.compile("[abc] (\\*|\\d+):(\\*|\\d+) [rwm]{1,3}");

    private String name;
    private Path rootfs;
    private String rootfsLabel;
    private String image;
    private List<String> command = List.of();
    private List<String> entrypoint;
    private final List<String> env = new ArrayList<>();
    private String workdir;
    private String user;
    private final List<String> groupAdd = new ArrayList<>();
    private String hostname;
    private final List<MountRequest> mounts = new ArrayList<>();
    private boolean readOnly;
    private boolean init;
    private boolean autoRemove;
    private boolean tty;
    private boolean interactive;
    private NetworkMode network = NetworkMode.NONE;
    private final List<String> networks = new ArrayList<>();
    private boolean networkGiven;
    private final List<PortMapping> ports = new ArrayList<>();
    private final List<String> capAdd = new ArrayList<>();
    private final List<String> capDrop = new ArrayList<>();
    private boolean privileged;
    private SeccompChoice seccomp = SeccompChoice.DEFAULT;
    private boolean noNewPrivileges = true;
    private final List<Ulimit> ulimits = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private HealthCheck health;
    private final Map<String, String> resourceFlags = new LinkedHashMap<>();
    private String cgroupParent;
    private boolean noHealthcheck;
    private final List<DeviceRequest> devices = new ArrayList<>();
    private final List<String> deviceCgroupRules = new ArrayList<>();
    private final DnsSettings.Builder dns = new DnsSettings.Builder();

    public ContainerConfigBuilder name(String n) throws PelagosException {
        if (n != null && !NAME.matcher(n).matches()) {
            throw PelagosException.invalid("invalid container name '" + n + "'",
                    "use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        this.name = n;
        return this;
    }

    public ContainerConfigBuilder rootfs(Path dir, String label) {
        this.rootfs = dir;
        this.rootfsLabel = label;
        return this;
    }

    public ContainerConfigBuilder image(String ref) {
        this.image = ref;
        return this;
    }

    public ContainerConfigBuilder command(List<String> cmd) {
        this.command = List.copyOf(cmd);
        return this;
    }

    public ContainerConfigBuilder entrypoint(List<String> ep) {
        this.entrypoint = ep == null ? null : List.copyOf(ep);
        return this;
    }

    /** {@code -e K=V}, or {@code -e K} to copy the caller's value when it has one. */
    public ContainerConfigBuilder envFlag(String kv) throws PelagosException {
        int eq = kv.indexOf('=');
        String key = eq < 0 ? kv : kv.substring(0, eq);
        if (key.isEmpty() || key.contains("\0")) {
            throw PelagosException.invalid("invalid environment variable '" + kv + "': expected KEY=VALUE");
        }
        if (eq < 0) {
            String v = System.getenv(kv);
            if (v != null) {
                env.add(kv + "=" + v);
            }
        } else {
            env.add(kv);
        }
        return this;
    }

    /** {@code --env-file F}: KEY=VALUE lines; blank lines and {@code #} comments are skipped. */
    public ContainerConfigBuilder envFile(Path file) throws PelagosException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw PelagosException.invalid("cannot read --env-file '" + file + "': " + e.getMessage(),
                    "check the path; the file holds KEY=VALUE lines");
        }
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                envFlag(t);
            }
        }
        return this;
    }

    public ContainerConfigBuilder workdir(String w) throws PelagosException {
        if (w != null && !w.startsWith("/")) {
            throw PelagosException.invalid("invalid --workdir '" + w + "': the path must be absolute");
        }
        this.workdir = w;
        return this;
    }

    public ContainerConfigBuilder user(String u) throws PelagosException {
        if (u != null && (u.isEmpty() || u.startsWith(":") || u.endsWith(":"))) {
            throw PelagosException.invalid("invalid --user '" + u + "': expected UID[:GID] or NAME[:GROUP]");
        }
        this.user = u;
        return this;
    }

    public ContainerConfigBuilder groupAdd(String g) {
        groupAdd.add(g);
        return this;
    }

    /** Network aliases, resolvers, search domains, resolver options and extra hosts ({@link DnsSettings}). */
    public DnsSettings.Builder dns() {
        return dns;
    }

    public ContainerConfigBuilder hostname(String h) throws PelagosException {
        if (h != null && !HOSTNAME.matcher(h).matches()) {
            throw PelagosException.invalid("invalid --hostname '" + h + "'", "use up to 63 letters, digits, '-' and '.'");
        }
        this.hostname = h;
        return this;
    }

    public ContainerConfigBuilder volumeFlag(String spec) throws PelagosException {
        mounts.add(MountRequest.parseVolume(spec));
        return this;
    }

    public ContainerConfigBuilder bindFlag(String spec, boolean readOnly) throws PelagosException {
        mounts.add(MountRequest.parseBind(readOnly ? "--bind-ro" : "--bind", spec, readOnly));
        return this;
    }

    public ContainerConfigBuilder tmpfsFlag(String spec) throws PelagosException {
        mounts.add(MountRequest.parseTmpfs(spec));
        return this;
    }

    public ContainerConfigBuilder mount(MountRequest m) {
        mounts.add(m);
        return this;
    }

    public ContainerConfigBuilder readOnly(boolean v) {
        this.readOnly = v;
        return this;
    }

    public ContainerConfigBuilder init(boolean v) {
        this.init = v;
        return this;
    }

    public ContainerConfigBuilder autoRemove(boolean v) {
        this.autoRemove = v;
        return this;
    }

    /** {@code -t}: a pseudo-terminal for the container. */
    public ContainerConfigBuilder tty(boolean v) {
        this.tty = v;
        return this;
    }

    /** {@code -i}: keep the container's stdin connected. */
    public ContainerConfigBuilder interactive(boolean v) {
        this.interactive = v;
        return this;
    }

    /**
     * One {@code --network} value: a mode (none, loopback, host, pasta) or the name of a bridge
     * network ("bridge" is the default one); several names put the container on each, eth0 first.
     */
    public ContainerConfigBuilder network(String value) throws PelagosException {
        if (value.startsWith("container:")) {
            String target = value.substring("container:".length());
            if (target.isEmpty()) {
                throw PelagosException.invalid("--network container: needs a container", "e.g. --network container:web");
            }
            if (networkGiven) {
                throw PelagosException.invalid("--network " + value + " cannot be combined with another --network",
                        "a container shares another's network, or has its own");
            }
            networkGiven = true;
            network = NetworkMode.CONTAINER;
            networks.clear();
            networks.add(target);
            return this;
        }
        NetworkMode mode;
        try {
            mode = NetworkMode.parse(value);
        } catch (PelagosException e) {
            if (e.kind() == dev.pelagos.base.ErrorKind.UNSUPPORTED || !value.matches("[A-Za-z0-9][A-Za-z0-9-]{0,11}")) {
                throw e;
            }
            mode = NetworkMode.BRIDGE; // a user network, looked up when the container is made
        }
        if (networkGiven && (network == NetworkMode.CONTAINER || !(mode == NetworkMode.BRIDGE && network == NetworkMode.BRIDGE))) {
            throw PelagosException.invalid("--network " + value + " cannot be combined with another --network "
                    + (network == NetworkMode.CONTAINER ? "container:" + networks.getFirst()
                            : networks.isEmpty() ? network.name().toLowerCase(java.util.Locale.ROOT) : networks.getFirst()),
                    "give several --network flags only for bridge networks");
        }
        networkGiven = true;
        network = mode;
        if (mode == NetworkMode.BRIDGE) {
            if (networks.contains(value)) {
                throw PelagosException.invalid("--network " + value + " is given twice", null);
            }
            if (networks.size() == 9) {
                throw PelagosException.invalid("--network " + value + ": a container can be on 9 networks at most", null);
            }
            networks.add(value);
        }
        return this;
    }

    public ContainerConfigBuilder network(NetworkMode n) {
        this.network = n;
        networks.clear();
        if (n == NetworkMode.BRIDGE) {
            networks.add("bridge");
        }
        return this;
    }

    public ContainerConfigBuilder capAdd(String c) throws PelagosException {
        if (!c.equalsIgnoreCase("ALL")) {
            Capability.parse(c);
        }
        capAdd.add(c);
        return this;
    }

    public ContainerConfigBuilder capDrop(String c) throws PelagosException {
        if (!c.equalsIgnoreCase("ALL")) {
            Capability.parse(c);
        }
        capDrop.add(c);
        return this;
    }

    public ContainerConfigBuilder privileged(boolean v) {
        this.privileged = v;
        return this;
    }

    /** {@code --security-opt}: seccomp=unconfined|PROFILE.json, no-new-privileges[=true|false]. */
    public ContainerConfigBuilder securityOpt(String opt) throws PelagosException {
        String key = opt;
        String value = null;
        int sep = opt.indexOf('=');
        if (sep < 0) {
            sep = opt.indexOf(':');
        }
        if (sep >= 0) {
            key = opt.substring(0, sep);
            value = opt.substring(sep + 1);
        }
        switch (key) {
            case "seccomp" -> seccomp = SeccompOption.parse(value == null ? "" : value.equals("default") ? "builtin" : value);
            case "no-new-privileges" -> {
                if (value == null || value.equals("true")) {
                    noNewPrivileges = true;
                } else if (value.equals("false")) {
                    noNewPrivileges = false;
                } else {
                    throw PelagosException.invalid("invalid --security-opt '" + opt + "': expected no-new-privileges[=true|false]");
                }
            }
            case "label", "apparmor" -> throw new PelagosException(dev.pelagos.base.ErrorKind.UNSUPPORTED,
                    "--security-opt " + key + " is not supported: this host has no SELinux or AppArmor",
                    "remove the option");
            default -> throw PelagosException.invalid("unknown --security-opt '" + opt + "'",
                    "use seccomp=unconfined|PROFILE.json or no-new-privileges[=true|false]");
        }
        return this;
    }

    public ContainerConfigBuilder ulimitFlag(String spec) throws PelagosException {
        Ulimit u = Ulimit.parse(spec);
        ulimits.removeIf(x -> x.resource() == u.resource());
        ulimits.add(u);
        return this;
    }

    /** {@code --sysctl K=V}: only namespaced sysctls, as Docker allows. */
    public ContainerConfigBuilder sysctlFlag(String kv) throws PelagosException {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw PelagosException.invalid("invalid --sysctl '" + kv + "': expected KEY=VALUE");
        }
        String key = kv.substring(0, eq).replace('/', '.');
        boolean namespaced = key.startsWith("net.") || key.startsWith("fs.mqueue.") || key.startsWith("kernel.shm")
                || key.startsWith("kernel.msg") || key.equals("kernel.sem") || key.equals("kernel.domainname")
                || key.equals("kernel.hostname");
        if (!namespaced || key.contains("..")) {
            throw PelagosException.invalid("--sysctl '" + key + "' is not allowed: it is not namespaced and would change the host",
                    "only net.*, fs.mqueue.*, kernel.msg*, kernel.sem and kernel.shm* can be set per container");
        }
        sysctls.put(key, kv.substring(eq + 1));
        return this;
    }

    public ContainerConfigBuilder label(String kv) throws PelagosException {
        int eq = kv.indexOf('=');
        labels.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        return this;
    }

    /** {@code --no-healthcheck}: ignore the image's health check. */
    public ContainerConfigBuilder noHealthcheck(boolean v) {
        this.noHealthcheck = v;
        return this;
    }

    /** A health check, or null for the image's (if any). */
    public ContainerConfigBuilder health(HealthCheck h) {
        this.health = h;
        return this;
    }

    /**
     * A cgroup limit flag in Docker's syntax ({@code memory=512m}, {@code cpus=0.5}, ...); checked
     * when the container is created, against the host's cgroup driver.
     */
    public ContainerConfigBuilder resourceFlag(String name, String value) {
        resourceFlags.put(name, value);
        return this;
    }

    /** {@code --device HOST[:CONTAINER][:PERMISSIONS]}. */
    public ContainerConfigBuilder device(String spec) throws PelagosException {
        devices.add(DeviceRequest.parse(spec));
        return this;
    }

    /** {@code --device-cgroup-rule 'TYPE MAJOR:MINOR ACCESS'}, Docker's form (e.g. "c 1:3 rwm", "b 8:* r"). */
    public ContainerConfigBuilder deviceCgroupRule(String rule) throws PelagosException {
        String r = rule.trim();
        if (!DEVICE_RULE.matcher(r).matches()) {
            throw PelagosException.invalid("invalid --device-cgroup-rule '" + rule + "'",
                    "write it as 'TYPE MAJOR:MINOR ACCESS': type a, b or c, numbers or *, access of r, w and m (e.g. 'c 10:200 rwm')");
        }
        deviceCgroupRules.add(r);
        return this;
    }

    /** {@code --cgroup-parent}: where under the hierarchy the container's cgroup goes (default "pelagos"). */
    public ContainerConfigBuilder cgroupParent(String parent) {
        this.cgroupParent = parent;
        return this;
    }

    /** One {@code -p}/{@code --publish}: Docker's {@code [IP:][HOST:]CONTAINER[/PROTOCOL]}. */
    public ContainerConfigBuilder publish(String value) throws PelagosException {
        ports.add(PortMapping.parse(value));
        return this;
    }

    public ContainerConfig build() throws PelagosException {
        if (rootfs == null && image == null) {
            throw PelagosException.invalid("an image name is required", "give an IMAGE, or --rootfs DIR");
        }
        if (sysctls.keySet().stream().anyMatch(k -> k.startsWith("net.")) && network == NetworkMode.HOST) {
            throw PelagosException.invalid("--sysctl net.* cannot be used with --network host: it would change the host");
        }
        if (network == NetworkMode.CONTAINER && (!ports.isEmpty() || !dns.build(NetworkMode.BRIDGE).isEmpty())) {
            throw PelagosException.invalid("--network container:" + networks.getFirst() + " shares that container's network: "
                    + "--publish and the DNS flags belong to it", "publish ports and set DNS flags on " + networks.getFirst());
        }
        if (!ports.isEmpty() && network != NetworkMode.BRIDGE) {
            if (networkGiven) {
                throw PelagosException.invalid("--publish needs a bridge network; --network "
                        + network.name().toLowerCase(java.util.Locale.ROOT) + " has none to publish from",
                        "drop --network, or use --network bridge or a network of 'pelagos network create'");
            }
            network(NetworkMode.BRIDGE); // as Docker: a published container is on the default bridge
        }
        return new ContainerConfig(name, rootfs, rootfsLabel, image, command, entrypoint, env, workdir, user, groupAdd,
                hostname, mounts, readOnly, init, autoRemove, tty, interactive, network, capAdd, capDrop, privileged, seccomp,
                noNewPrivileges, ulimits, sysctls, labels, health, resourceFlags, cgroupParent, noHealthcheck, devices,
                deviceCgroupRules, networks, ports, dns.build(network));
    }
}
