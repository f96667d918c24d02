package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.Planner;
import dev.pelagos.runtime.network.BridgeNetwork;
import dev.pelagos.runtime.network.NetworkAttachment;
import dev.pelagos.runtime.network.NetworkDef;
import dev.pelagos.runtime.network.NetworkStore;
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
 * start, and let go on removal.
 */
final class ContainerNetwork {
    static final String FILE = "network";
    private final ContainerStore store;
    private final NetworkStore networks;
    private final BridgeNetwork bridge;

    ContainerNetwork(ContainerStore store, Path runtimeDir, Path dataDir) {
        this.store = store;
        this.networks = new NetworkStore(dataDir);
        this.bridge = new BridgeNetwork(runtimeDir);
    }

    /** The networks by name, checked before anything is made. */
    List<NetworkDef> resolve(List<String> names) throws PelagosException {
        List<NetworkDef> out = new ArrayList<>();
        for (String n : names) {
            out.add(networks.get(n));
        }
        return out;
    }

    /** Puts the container on its networks and notes its endpoints; undone entirely on failure. */
    Attached attach(String id, Path stateDir, List<NetworkDef> nets) throws PelagosException {
        NetworkAttachment a = bridge.attach(id, nets, this::holdsAddress);
        StringBuilder noted = new StringBuilder();
        List<Path> claims = new ArrayList<>();
        for (NetworkAttachment.Endpoint e : a.endpoints()) {
            noted.append(e.network()).append(' ').append(e.device()).append(' ').append(e.address().getHostAddress()).append('/')
                    .append(e.prefixLength()).append(' ').append(e.gateway().getHostAddress()).append('\n');
            claims.add(bridge.claimFile(e.network(), e.address()));
        }
        try {
            Files.writeString(stateDir.resolve(FILE), noted);
        } catch (IOException e) {
            bridge.detach(id);
            throw PelagosException.io("write the networks of container " + id, e);
        }
        return new Attached(new Planner.Network(a.netns(), a.endpoints().getFirst().address().getHostAddress()), claims);
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
        String now = attach(id, stateDir, resolve(names)).plan().address();
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

    /** Lets go of the namespace file (if the helper never took it) and the addresses. */
    void detach(String id) throws PelagosException {
        bridge.detach(id);
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
