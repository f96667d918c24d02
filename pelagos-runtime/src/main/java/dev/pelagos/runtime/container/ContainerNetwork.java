package dev.pelagos.runtime.container;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.Planner;
import dev.pelagos.runtime.network.BridgeNetwork;
import dev.pelagos.runtime.network.NetworkAttachment;
import dev.pelagos.runtime.network.NetworkDef;
import dev.pelagos.runtime.network.NetworkNat;
import dev.pelagos.runtime.network.NetworkStore;
import dev.pelagos.runtime.network.PortForwards;
import dev.pelagos.runtime.spec.PortMapping;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's bridge networks between its starts: attached before the hand-off (again on every
 * start, the namespace ending with the container), its endpoints kept in the state directory
 * ({@code network}: a line "NETWORK DEVICE ADDRESS/PREFIX GATEWAY" each) for inspect and the next
 * start, and let go on removal. Its published ports go with it: asked for ({@code publish}, for the
 * next start) and as made ({@code ports}, host ports filled in), a {@code -p} value a line each.
 */
final class ContainerNetwork {
    static final String FILE = "network";
    static final String PUBLISH_FILE = "publish";
    static final String PORTS_FILE = "ports";
    static final String ALIASES_FILE = "aliases";
    static final String DNS_SERVERS_FILE = "dns-servers";
    /** With {@code --network container:NAME}: the id of the container whose network it shares, and the link to it. */
    static final String SHARED_FILE = "network-container";
    static final String SHARED_LINK = "netns";
    private final ContainerStore store;
    private final NetworkStore networks;
    private final BridgeNetwork bridge;
    private final PortForwards forwards;
    private final NetworkNat nat;
    private final Path runtimeDir;
    private final Path jniLibrary;

    ContainerNetwork(ContainerStore store, Path runtimeDir, Path dataDir, Path jniLibrary) {
        this.store = store;
        this.networks = new NetworkStore(dataDir);
        this.bridge = new BridgeNetwork(runtimeDir);
        this.forwards = new PortForwards(runtimeDir, jniLibrary);
        this.nat = new NetworkNat(jniLibrary);
        this.runtimeDir = runtimeDir;
        this.jniLibrary = jniLibrary;
    }

    /** The networks by name, checked before anything is made. */
    List<NetworkDef> resolve(List<String> names) throws PelagosException {
        List<NetworkDef> out = new ArrayList<>();
        for (String n : names) {
            out.add(networks.get(n));
        }
        return out;
    }

    /** Puts the container on its networks, publishes its ports and notes both; undone entirely on failure. */
    Attached attach(String id, Path stateDir, List<NetworkDef> nets, List<PortMapping> ports) throws PelagosException {
        nat.enable(nets);
        NetworkAttachment a = bridge.attach(id, nets, this::holdsAddress);
        NetworkAttachment.Endpoint first = a.endpoints().getFirst();
        try {
            // also drops the forwards of containers that stopped, whose addresses may just have been reused
            List<PortMapping> published = forwards.publish(id, first.address(), nets.getFirst().bridge(), ports, this::holdsAddress);
            writeSpecs(stateDir.resolve(PUBLISH_FILE), ports);
            writeSpecs(stateDir.resolve(PORTS_FILE), published);
            List<Path> claims = new ArrayList<>();
            for (NetworkAttachment.Endpoint e : a.endpoints()) {
                claims.add(bridge.claimFile(e.network(), e.address()));
            }
            writeEndpoints(stateDir, a.endpoints());
            dev.pelagos.base.StartupTrace.mark("network noted");
            startNameService(a.endpoints());
            dev.pelagos.base.StartupTrace.mark("name service asked");
            return new Attached(new Planner.Network(a.netns(), first.address().getHostAddress(),
                    first.gateway().getHostAddress()), claims);
        } catch (PelagosException | IOException | RuntimeException e) {
            detach(id);
            if (e instanceof IOException io) {
                throw PelagosException.io("note the networks of container " + id, io);
            }
            if (e instanceof PelagosException pe) {
                throw pe;
            }
            throw (RuntimeException) e;
        }
    }

    /** The containers on bridges find each other by name: the name service runs (or starts) now, before this one does. */
    private void startNameService(List<NetworkAttachment.Endpoint> endpoints) {
        try {
            NameService.ensureRunning(runtimeDir, jniLibrary, endpoints);
        } catch (IOException e) {
            // the container still runs and reaches everything by address
            System.getLogger(ContainerNetwork.class.getName()).log(System.Logger.Level.WARNING,
                    "containers cannot look each other up by name: " + e.getMessage());
        }
    }

    /** What the launch needs, and the claim files a --rm container's end removes. */
    record Attached(Planner.Network plan, List<Path> claims) {
    }

    /**
     * A stopped container starting again: a fresh namespace at the same place (its saved launch
     * refers to it), usually the same addresses; /etc/hosts follows a changed first one.
     */
    void reattach(String id, Path stateDir) throws PelagosException {
        List<NetworkAttachment.Endpoint> before = endpoints(stateDir);
        if (before.isEmpty()) {
            return; // on no bridge network
        }
        List<String> names = new ArrayList<>();
        before.forEach(e -> names.add(e.network()));
        String now = attach(id, stateDir, resolve(names), published(stateDir.resolve(PUBLISH_FILE))).plan().address();
        String old = before.getFirst().address().getHostAddress();
        Path hosts = stateDir.resolve("etc/hosts");
        try {
            if (!now.equals(old) && Files.isRegularFile(hosts)) {
                Files.writeString(hosts, Files.readString(hosts).replace(old + "\t", now + "\t"));
            }
        } catch (IOException e) {
            throw PelagosException.io("update the hosts file of container " + id, e);
        }
    }

    /**
     * Puts a running container on one more network ({@code network connect}), reached through its
     * process's namespace; noted for inspect, the name service and the next start.
     */
    void connect(Container c, NetworkDef n, List<String> aliases) throws PelagosException {
        List<NetworkAttachment.Endpoint> now = endpoints(c.stateDir());
        String id = c.id().value();
        if (now.isEmpty()) {
            throw PelagosException.conflict("container " + c.name() + " is not on a bridge network (--network none or host): it cannot be connected",
                    "run it with --network bridge or --network NAME");
        }
        if (now.stream().anyMatch(e -> e.network().equals(n.name()))) {
            throw PelagosException.conflict("container " + c.name() + " is already on network " + n.name(), null);
        }
        if (now.size() == 9) {
            throw PelagosException.conflict("container " + c.name() + " is on 9 networks, the most it can be on", null);
        }
        List<String> devices = now.stream().map(NetworkAttachment.Endpoint::device).toList();
        int k = 0;
        while (devices.contains("eth" + k)) {
            k++;
        }
        nat.enable(List.of(n));
        NetworkAttachment.Endpoint e = bridge.connect(id, netnsOf(c), n, k, this::holdsAddress);
        List<NetworkAttachment.Endpoint> after = new ArrayList<>(now);
        after.add(e);
        try {
            List<String> names = new ArrayList<>(c.networkAliases());
            aliases.stream().filter(x -> !names.contains(x)).forEach(names::add);
            writeLines(c.stateDir().resolve(ALIASES_FILE), names); // before the name service looks
            writeEndpoints(c.stateDir(), after);
        } catch (IOException failed) {
            bridge.disconnect(id, n, k);
            throw PelagosException.io("note the networks of container " + c.name(), failed);
        }
        startNameService(List.of(e));
    }

    /** Takes a running container off a network other than its first (which has its default route and published ports). */
    void disconnect(Container c, NetworkDef n) throws PelagosException {
        List<NetworkAttachment.Endpoint> now = endpoints(c.stateDir());
        NetworkAttachment.Endpoint e = now.stream().filter(x -> x.network().equals(n.name())).findFirst()
                .orElseThrow(() -> PelagosException.conflict("container " + c.name() + " is not on network " + n.name(), null));
        if (e == now.getFirst()) {
            throw PelagosException.conflict("network " + n.name() + " is the first network of container " + c.name()
                    + " (its default route and published ports): it cannot be disconnected", "stop and remove the container instead");
        }
        bridge.disconnect(c.id().value(), n, Integer.parseInt(e.device().substring(3)));
        List<NetworkAttachment.Endpoint> after = new ArrayList<>(now);
        after.remove(e);
        try {
            writeEndpoints(c.stateDir(), after);
        } catch (IOException failed) {
            throw PelagosException.io("note the networks of container " + c.name(), failed);
        }
    }

    /** Lets go of the published ports, the namespace file (if the helper never took it) and the addresses. */
    void detach(String id) throws PelagosException {
        forwards.unpublish(id);
        bridge.detach(id);
    }

    /** The ports a container published when it last started (host ports as made); empty when none. */
    static List<PortMapping> published(Path file) {
        List<PortMapping> out = new ArrayList<>();
        try {
            for (String line : lines(file)) {
                out.add(PortMapping.parse(line.strip()));
            }
        } catch (PelagosException e) {
            return out; // a damaged file: what was read
        }
        return out;
    }

    /** A running container's network namespace, through its process. */
    private static Path netnsOf(Container c) {
        return Path.of("/proc", Integer.toString(c.state().pid()), "ns", "net");
    }

    private static void writeSpecs(Path file, List<PortMapping> ports) throws IOException {
        if (ports.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        StringBuilder sb = new StringBuilder();
        ports.forEach(p -> sb.append(p.spec()).append('\n'));
        Files.writeString(file, sb);
    }

    /** The running container {@code ref} names, whose network a new one is to share ({@code --network container:REF}). */
    Container sharedTarget(String ref) throws PelagosException {
        return running(store.find(ref));
    }

    private static Container running(Container target) throws PelagosException {
        if (!target.running()) {
            throw PelagosException.conflict("container " + target.name() + " is not running: only a running container's network can be shared",
                    "start it first (pelagos start " + target.name() + ")");
        }
        return target;
    }

    /**
     * Points the container's namespace link at {@code target}'s network namespace, as it is now (a
     * restarted target has a new one): the saved launch joins the link, so every start follows it.
     */
    static Planner.Network linkShared(Path stateDir, Container target) throws PelagosException {
        try {
            Files.writeString(stateDir.resolve(SHARED_FILE), target.id().value() + "\n");
            Path link = stateDir.resolve(SHARED_LINK);
            Path tmp = stateDir.resolve(SHARED_LINK + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, netnsOf(target));
            Files.move(tmp, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new Planner.Network(link, null, null, target.stateDir().resolve("etc"));
        } catch (IOException e) {
            throw PelagosException.io("share the network of container " + target.name(), e);
        }
    }

    /** Before a container that shares another's network starts again: that container must run, and the link follows it. */
    void relinkShared(Path stateDir) throws PelagosException {
        Path file = stateDir.resolve(SHARED_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        String id;
        try {
            id = Files.readString(file).strip();
        } catch (IOException e) {
            throw PelagosException.io("read " + file, e);
        }
        Container target = store.load(new ContainerId(id)).orElseThrow(() -> PelagosException.conflict(
                "the container whose network this one shares is gone", "remove this one and run it again with another --network"));
        linkShared(stateDir, running(target));
    }

    /** Notes what the name service reads besides the endpoints: the aliases, and the resolvers this container asks (--dns). */
    static void noteNames(Path stateDir, dev.pelagos.runtime.spec.DnsSettings dns) throws IOException {
        writeLines(stateDir.resolve(ALIASES_FILE), dns.aliases());
        writeLines(stateDir.resolve(DNS_SERVERS_FILE), dns.servers());
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        if (!lines.isEmpty()) {
            AtomicFiles.replace(file, String.join("\n", lines) + "\n"); // the name service may be reading it
        }
    }

    /** The lines of a state file, empty when it is missing or unreadable. */
    static List<String> lines(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList()
                    : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Notes the endpoints, a line each: "NETWORK DEVICE ADDRESS/PREFIX GATEWAY" (replaced whole: readers never see half). */
    private static void writeEndpoints(Path stateDir, List<NetworkAttachment.Endpoint> endpoints) throws IOException {
        StringBuilder noted = new StringBuilder();
        for (NetworkAttachment.Endpoint e : endpoints) {
            noted.append(e.network()).append(' ').append(e.device()).append(' ').append(e.address().getHostAddress()).append('/')
                    .append(e.prefixLength()).append(' ').append(e.gateway().getHostAddress()).append('\n');
        }
        AtomicFiles.replace(stateDir.resolve(FILE), noted.toString());
    }

    /** The endpoints noted for a container, in the order of its devices; empty when on no bridge. */
    static List<NetworkAttachment.Endpoint> endpoints(Path stateDir) {
        List<NetworkAttachment.Endpoint> out = new ArrayList<>();
        try {
            Path file = stateDir.resolve(FILE);
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    // "NETWORK DEVICE ADDRESS/PREFIX GATEWAY", as attach writes it: literals, no name lookup
                    String[] f = line.strip().split("[ /]");
                    if (f.length == 5) {
                        out.add(new NetworkAttachment.Endpoint(f[0], f[1], (Inet4Address) InetAddress.getByName(f[2]),
                                Integer.parseInt(f[3]), (Inet4Address) InetAddress.getByName(f[4])));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return out; // a damaged file: what was read
        }
        return out;
    }

    /** Whether the container holding a claim still needs its address: it is being made, running or paused. */
    private boolean holdsAddress(String id) {
        if (!ContainerId.isValid(id)) {
            return false;
        }
        return store.load(new ContainerId(id)).map(c -> switch (c.status()) {
            case CREATED, RUNNING, PAUSED -> true;
            default -> false;
        }).orElse(false);
    }
}
