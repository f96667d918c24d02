package dev.pelagos.runtime.launch;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.rootfs.UserResolver;
import dev.pelagos.runtime.spec.CapabilityPolicy;
import dev.pelagos.runtime.spec.ContainerConfig;
import dev.pelagos.runtime.spec.DnsSettings;
import dev.pelagos.runtime.spec.MountRequest;
import dev.pelagos.runtime.spec.NetworkMode;
import dev.pelagos.runtime.spec.Ulimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns what the user asked for ({@link ContainerConfig}) into what the helper does
 * ({@link LaunchPlan}). All policy lives here: defaults, security, environment, mounts.
 */
public final class Planner {
    /** Rotate a container's log past 10 MiB (one old file is kept). */
    static final long LOG_MAX_SIZE = 10L << 20;
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * A network namespace made and configured before the start (a bridge network), joined by the
     * helper through the file it is bound on, which the helper then lets go.
     *
     * @param address the container's address, for its /etc/hosts
     * @param gateway its first network's gateway, where the name service answers (its /etc/resolv.conf)
     * @param etc     with {@code container:NAME}: that container's /etc files directory (null otherwise)
     */
    public record Network(Path netns, String address, String gateway, Path etc) {
        public Network(Path netns, String address, String gateway) {
            this(netns, address, gateway, null);
        }
    }

    /**
     * Where things of this container live on the host.
     *
     * @param cleanupOnFailure what the helper removes when the start fails (the JVM is gone by then):
     *                         the state of a container that would otherwise be kept
     * @param network          the bridge network's namespace, made already, or null
     * @param hostDevices      the container's {@code --device}s, looked up on the host already (with its device rules)
     */
    public record Context(String id, String name, Path stateDir, Path volumesDir, List<String> cleanup, Path pidFile,
            String printOnStart, Path logFile, CgroupFiles cgroup, List<String> cleanupOnFailure, Network network,
            List<HostDevices.HostDevice> hostDevices) {
        public Context {
            cleanup = List.copyOf(cleanup);
            cleanupOnFailure = List.copyOf(cleanupOnFailure);
            hostDevices = List.copyOf(hostDevices);
        }

        public Context(String id, String name, Path stateDir, Path volumesDir, List<String> cleanup, Path pidFile,
                String printOnStart, Path logFile, CgroupFiles cgroup, List<String> cleanupOnFailure) {
            this(id, name, stateDir, volumesDir, cleanup, pidFile, printOnStart, logFile, cgroup, cleanupOnFailure, null, List.of());
        }

        public Context(String id, String name, Path stateDir, Path volumesDir, List<String> cleanup, Path pidFile,
                String printOnStart, Path logFile) {
            this(id, name, stateDir, volumesDir, cleanup, pidFile, printOnStart, logFile, CgroupFiles.NONE, List.of());
        }
    }

    /**
     * The container's cgroup, already created: the files the helper writes the pid into, reads the
     * OOM count from, removes afterwards; the mounts that show it at /sys/fs/cgroup; oom_score_adj.
     */
    public record CgroupFiles(List<String> procs, List<String> oom, List<String> rmdir, List<MountEntry> mounts,
            Integer oomScoreAdj) {
        public static final CgroupFiles NONE = new CgroupFiles(List.of(), List.of(), List.of(), List.of(), null);

        public CgroupFiles {
            procs = List.copyOf(procs);
            oom = List.copyOf(oom);
            rmdir = List.copyOf(rmdir);
            mounts = List.copyOf(mounts);
        }
    }

    private Planner() {
    }

    public static LaunchPlan plan(SpecTag.Mode mode, ContainerConfig c, ResolvedRoot root, Context ctx, SeccompProvider seccomp,
            long hostBounding) throws PelagosException {
        ResolvedRoot.ImageDefaults img = root.defaults();
        String hostname = c.hostname() != null ? c.hostname() : ctx.id().substring(0, 12);
        String userSpec = c.user() != null ? c.user() : img.user() == null || img.user().isEmpty() ? null : img.user();
        UserResolver.User user = UserResolver.resolve(root.view(), userSpec, c.groupAdd());

        List<String> args = command(c, img);
        List<String> env = environment(c, img, hostname, user.home());
        String cwd = c.workdir() != null ? c.workdir() : img.workdir() != null && !img.workdir().isEmpty() ? img.workdir() : "/";

        long caps = CapabilityPolicy.effectiveMask(c.capAdd(), c.capDrop(), c.privileged(), hostBounding);
        LaunchPlan.Capabilities capSets = user.uid() == 0 ? LaunchPlan.Capabilities.of(caps)
                : nonRootCaps(caps, c);
        byte[] filter = c.privileged() ? null : seccomp.filterFor(c.seccomp(), caps).orElse(null);

        List<LaunchPlan.Rlimit> rlimits = new ArrayList<>();
        for (Ulimit u : c.ulimits()) {
            rlimits.add(new LaunchPlan.Rlimit(u.resource(), u.soft(), u.hard()));
        }
        LaunchPlan.ProcessPlan process = new LaunchPlan.ProcessPlan(args, env, cwd, user.uid(), user.gid(), user.groups(),
                capSets, c.noNewPrivileges(), filter, rlimits, ctx.cgroup().oomScoreAdj(), c.tty(), c.interactive());

        List<MountEntry> mounts = new ArrayList<>(DefaultFilesystem.kernelMounts(c.privileged()));
        mounts.addAll(ctx.cgroup().mounts());
        for (MountRequest m : c.mounts()) {
            mounts.add(userMount(m, ctx));
        }
        // after the user's mounts, as Docker does: a volume at /etc still gets the container's hosts file
        mounts.addAll(etcFiles(ctx.stateDir(), hostname, c, ctx.network()));
        List<String> sysctls = new ArrayList<>();
        for (Map.Entry<String, String> e : c.sysctls().entrySet()) {
            sysctls.add(e.getKey() + "=" + e.getValue());
        }
        List<DeviceNode> devices = new ArrayList<>(DefaultFilesystem.devices());
        if (ctx.hostDevices().size() < c.devices().size()) {
            throw new IllegalStateException("a container's --devices are looked up (for its device rules) before it is planned");
        }
        for (HostDevices.HostDevice d : ctx.hostDevices()) {
            devices.removeIf(n -> n.path().equals(d.node().path()));
            devices.add(d.node());
        }
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(root.mountpoint(), root.rootMount(), mounts,
                devices, DefaultFilesystem.symlinks(),
                c.privileged() ? List.of() : DefaultFilesystem.MASKED_PATHS,
                c.privileged() ? List.of() : DefaultFilesystem.READONLY_PATHS, c.readOnly(), sysctls);

        int flags = Linux.CLONE_NEWNS | Linux.CLONE_NEWPID | Linux.CLONE_NEWUTS | Linux.CLONE_NEWIPC | Linux.CLONE_NEWCGROUP;
        if (c.network() == NetworkMode.NONE) {
            flags |= Linux.CLONE_NEWNET;
        }
        List<LaunchPlan.NamespacePath> joins = List.of();
        if (c.network() == NetworkMode.BRIDGE || c.network() == NetworkMode.CONTAINER) {
            if (ctx.network() == null) {
                throw new IllegalStateException("a container's network namespace is found or made before it is planned");
            }
            // a bridge namespace was bound for this container alone; another container's is only joined
            joins = List.of(new LaunchPlan.NamespacePath(Linux.CLONE_NEWNET, ctx.network().netns().toString(),
                    c.network() == NetworkMode.BRIDGE));
        }
        LaunchPlan.NamespacePlan ns = new LaunchPlan.NamespacePlan(flags, hostname, c.network() == NetworkMode.NONE, 0, joins,
                null, null);
        LaunchPlan.LifecyclePlan life = new LaunchPlan.LifecyclePlan(ctx.stateDir(), ctx.cgroup().procs(), ctx.cgroup().oom(),
                ctx.cgroup().rmdir(),
                ctx.cleanup(), c.init(), ctx.printOnStart(), ctx.pidFile(), ctx.logFile(), LOG_MAX_SIZE, null, null, 0,
                c.noHealthcheck() ? null : c.health() != null ? c.health() : img.health(),
                ctx.cleanupOnFailure());
        return new LaunchPlan(mode, process, fs, ns, life);
    }

    /** CLI command replaces the image's Cmd; --entrypoint replaces its Entrypoint (Docker's rules). */
    static List<String> command(ContainerConfig c, ResolvedRoot.ImageDefaults img) throws PelagosException {
        List<String> ep = c.entrypoint() != null ? c.entrypoint() : img.entrypoint();
        List<String> cmd = !c.command().isEmpty() ? c.command() : c.entrypoint() != null ? List.of() : img.cmd();
        List<String> args = new ArrayList<>(ep);
        args.addAll(cmd);
        if (args.isEmpty()) {
            if (c.rootfs() != null) {
                return List.of("/bin/sh");
            }
            throw PelagosException.invalid("no command specified", "the image has no Cmd or Entrypoint; give a command after the image");
        }
        return args;
    }

    /** Image env, then the user's; PATH, HOSTNAME and HOME filled in when missing, like Docker. */
    static List<String> environment(ContainerConfig c, ResolvedRoot.ImageDefaults img, String hostname, String home) {
        java.util.LinkedHashMap<String, String> env = new java.util.LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("HOSTNAME", hostname);
        for (List<String> src : List.of(img.env(), c.env())) {
            for (String kv : src) {
                int eq = kv.indexOf('=');
                env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        env.putIfAbsent("HOME", home);
        if (c.tty()) {
            env.putIfAbsent("TERM", "xterm");
        }
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * A non-root user keeps capabilities only through the ambient set, and only those the user
     * explicitly added: the defaults are for root.
     */
    private static LaunchPlan.Capabilities nonRootCaps(long caps, ContainerConfig c) throws PelagosException {
        long added = 0;
        for (String a : c.capAdd()) {
            added |= a.equalsIgnoreCase("ALL") ? caps : dev.pelagos.runtime.spec.Capability.parse(a).bit();
        }
        added &= caps;
        return new LaunchPlan.Capabilities(caps, added, added, added, added);
    }

    private static MountEntry userMount(MountRequest m, Context ctx) throws PelagosException {
        return switch (m) {
            case MountRequest.Bind b -> {
                if (!Files.exists(b.source())) {
                    if (!b.createSource()) {
                        throw PelagosException.notFound("bind source '" + b.source() + "' does not exist",
                                "create it first, or use -v to have it created");
                    }
                    try {
                        Files.createDirectories(b.source());
                    } catch (IOException e) {
                        throw PelagosException.io("create bind source " + b.source(), e);
                    }
                }
                yield MountEntry.bind(b.source().toString(), b.target(), b.readOnly(), !Files.isDirectory(b.source()));
            }
            case MountRequest.Tmpfs t -> {
                TmpfsOptions o = TmpfsOptions.parse(t.target(), t.options());
                yield new MountEntry("tmpfs", t.target(), "tmpfs", o.flags(), 0, SpecTag.MNT_MKDIR, o.data());
            }
            case MountRequest.Volume v -> {
                // created on first use, like Docker
                Path dir = new dev.pelagos.runtime.volume.VolumeStore(ctx.volumesDir()).create(v.name(), Map.of()).mountpoint();
                MountEntry bind = MountEntry.bind(dir.toString(), v.target(), v.readOnly(), false);
                // like Docker, an empty volume first gets what the image has at the mount point
                yield new MountEntry(bind.source(), bind.target(), bind.fstype(), bind.flags(), bind.propagation(),
                        bind.options() | SpecTag.MNT_SEED, bind.data());
            }
        };
    }

    /**
     * A container's /etc/resolv.conf from the host's: on a bridge, the name service on its gateway
     * (which knows the containers' names and asks the container's --dns resolvers, or the host's,
     * the rest); otherwise the host's resolvers or --dns. Search domains and options are the host's
     * unless --dns-search / --dns-option give others.
     */
    static String resolvConf(String hostResolvConf, String gateway, DnsSettings dns) {
        if (gateway == null && dns.isEmpty()) {
            return hostResolvConf;
        }
        List<String> other = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String line : hostResolvConf.lines().toList()) {
            String first = line.strip().split("\\s+", 2)[0];
            switch (first) {
                case "nameserver" -> servers.add(line.strip());
                case "search", "domain" -> search.add(line.strip());
                case "options" -> options.add(line.strip());
                default -> other.add(line);
            }
        }
        if (gateway != null) {
            other.clear();
            servers = List.of("nameserver " + gateway);
        } else if (!dns.servers().isEmpty()) {
            servers = dns.servers().stream().map(a -> "nameserver " + a).toList();
        }
        if (!dns.search().isEmpty()) {
            search = dns.search().equals(List.of(".")) ? List.of() : List.of("search " + String.join(" ", dns.search()));
        }
        if (!dns.options().isEmpty()) {
            options = List.of("options " + String.join(" ", dns.options()));
        }
        StringBuilder out = new StringBuilder();
        for (List<String> part : List.of(other, servers, search, options)) {
            part.forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    private static String readOr(Path file, String otherwise) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file) : otherwise;
    }

    /** /etc/hostname, /etc/hosts and /etc/resolv.conf of the container, bound from its state dir. */
    private static List<MountEntry> etcFiles(Path stateDir, String hostname, ContainerConfig c, Network attachment)
            throws PelagosException {
        NetworkMode network = c.network();
        try {
            Path etc = stateDir.resolve("etc");
            Files.createDirectories(etc);
            // fresh files in a fresh directory: plain writes (nothing can see them half-written)
            Files.writeString(etc.resolve("hostname"), hostname + "\n");
            String hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
            if (network == NetworkMode.HOST) {
                Path hostHosts = Path.of("/etc/hosts");
                hosts = Files.isReadable(hostHosts) ? Files.readString(hostHosts) : hosts;
            } else if (attachment != null && attachment.address() != null) {
                hosts += attachment.address() + "\t" + hostname + "\n";
            } else {
                hosts += "127.0.1.1\t" + hostname + "\n";
            }
            for (DnsSettings.HostEntry h : c.dns().extraHosts()) {
                // host-gateway needs a bridge (checked with the flags): the host's address on the first network
                String address = h.address().equals(DnsSettings.HOST_GATEWAY) ? attachment.gateway() : h.address();
                hosts += address + "\t" + h.host() + "\n";
            }
            String host = network != NetworkMode.NONE && Files.isReadable(Path.of("/etc/resolv.conf"))
                    ? Files.readString(Path.of("/etc/resolv.conf")) : "";
            String resolv = network == NetworkMode.NONE && c.dns().isEmpty() ? ""
                    : resolvConf(host, attachment == null ? null : attachment.gateway(), c.dns());
            if (network == NetworkMode.CONTAINER && attachment.etc() != null) {
                // the shared network's own names and resolver, as the container it shares sees them
                hosts = readOr(attachment.etc().resolve("hosts"), hosts);
                resolv = readOr(attachment.etc().resolve("resolv.conf"), resolv);
            }
            Files.writeString(etc.resolve("hosts"), hosts);
            Files.writeString(etc.resolve("resolv.conf"), resolv);
            List<MountEntry> out = new ArrayList<>();
            for (String f : List.of("hostname", "hosts", "resolv.conf")) {
                out.add(MountEntry.bind(etc.resolve(f).toString(), "/etc/" + f, false, true));
            }
            return out;
        } catch (IOException e) {
            throw PelagosException.io("write the container's /etc files", e);
        }
    }
}
