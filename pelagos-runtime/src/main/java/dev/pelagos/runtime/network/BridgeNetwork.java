package dev.pelagos.runtime.network;

import dev.pelagos.base.PelagosException;
import dev.pelagos.sys.net.Links;
import dev.pelagos.sys.net.NetNamespace;
import dev.pelagos.sys.net.NetlinkException;
import dev.pelagos.sys.net.NetlinkSocket;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Bridge networks on the host (REFERENCE §7.1-7.2): each network's bridge ({@code pelagos0} for
 * the default one, {@code rm-NAME} for the others) with its gateway address, made on first use and
 * kept; per container a network namespace with {@code lo} and one {@code ethN} per network (the
 * end of a veth pair whose other end is a port of that bridge), an address from each network's
 * {@link Ipam} and a default route through the first network. Containers on a network reach each
 * other and the host; NAT beyond the host and published ports come with the rest of the work.
 */
public final class BridgeNetwork {
    private final Path networks;

    /** @param runtimeDir the runtime state directory (PelagosPaths.runtime): claims and namespace files go under it */
    public BridgeNetwork(Path runtimeDir) {
        this.networks = runtimeDir.resolve("networks");
    }

    private Ipam ipam(NetworkDef n) {
        return new Ipam(networks.resolve(n.name()).resolve("ips"), n.subnet());
    }

    /** Where containers' namespace files are bound until their helpers join them. */
    public Path netnsDir() {
        return networks.resolve("netns");
    }

    /** Where a container's namespace file is bound until the helper joins it. */
    public Path netnsFile(String containerId) {
        return netnsDir().resolve(containerId);
    }

    /** The claim file of an address on a network (removed with a --rm container when it ends). */
    public Path claimFile(String network, Inet4Address address) {
        return networks.resolve(network).resolve("ips").resolve(address.getHostAddress());
    }

    /**
     * The host end of a container's veth pair on its k-th network: link names have 15 bytes, so 12
     * hex digits of the id (48 bits: two running containers never meet on one name).
     */
    static String hostVeth(String containerId, int k) {
        String id = containerId.substring(0, Math.min(12, containerId.length()));
        return (k == 0 ? "vh-" : "v" + k + "-") + id;
    }

    /**
     * Puts a container on its networks: its namespace, addresses and links. On failure nothing of
     * it is left (the namespace, its links and the claims are undone).
     *
     * @param inUse whether another container still holds an address (a claim by one that stopped is reused)
     */
    public NetworkAttachment attach(String containerId, List<NetworkDef> nets, Predicate<String> inUse) throws PelagosException {
        if (nets.isEmpty()) {
            throw new IllegalArgumentException("no network to attach to");
        }
        Path netns = netnsFile(containerId);
        boolean made = false;
        try (NetlinkSocket host = NetlinkSocket.open()) {
            Links hostLinks = new Links(host);
            List<NetworkAttachment.Endpoint> endpoints = new ArrayList<>();
            for (int k = 0; k < nets.size(); k++) {
                NetworkDef n = nets.get(k);
                ensureBridge(hostLinks, n);
                endpoints.add(new NetworkAttachment.Endpoint(n.name(), "eth" + k, ipam(n).claim(containerId, inUse),
                        n.subnet().prefixLength(), n.subnet().gateway()));
            }
            Files.createDirectories(netns.getParent());
            NetNamespace.delete(netns); // one left by a start that failed before its helper took it
            NetNamespace.create(netns);
            made = true;
            for (int k = 0; k < nets.size(); k++) {
                String veth = hostVeth(containerId, k);
                if (hostLinks.find(veth) != null) {
                    hostLinks.delete(veth); // left by this container's earlier start that failed half-way
                }
                hostLinks.createVeth(veth, endpoints.get(k).device(), netns);
                hostLinks.up(veth, nets.get(k).bridge());
            }
            try (NetlinkSocket inside = NetlinkSocket.openIn(netns)) {
                Links links = new Links(inside);
                links.up("lo", null);
                for (NetworkAttachment.Endpoint e : endpoints) {
                    links.up(e.device(), null);
                    links.addAddress(e.device(), e.address(), e.prefixLength());
                }
                links.addDefaultRoute(endpoints.getFirst().gateway());
            }
            return new NetworkAttachment(netns, endpoints);
        } catch (IOException e) {
            undo(containerId, made);
            throw new PelagosException(dev.pelagos.base.ErrorKind.INTERNAL, "cannot put container " + containerId
                    + " on its networks: " + e.getMessage(), "check that this host allows bridges and veth pairs (ip link)", e);
        } catch (PelagosException | RuntimeException e) {
            undo(containerId, made);
            throw e;
        }
    }

    /**
     * Puts a running container on one more network ({@code network connect}): device {@code ethK}
     * in its namespace (reached through {@code netns}, e.g. /proc/PID/ns/net), an address on the
     * network, a route to its subnet only (the default route stays with the first network). On
     * failure nothing of it is left.
     */
    public NetworkAttachment.Endpoint connect(String containerId, Path netns, NetworkDef n, int k, Predicate<String> inUse)
            throws PelagosException {
        Inet4Address address = null;
        String veth = hostVeth(containerId, k);
        try (NetlinkSocket host = NetlinkSocket.open()) {
            Links hostLinks = new Links(host);
            ensureBridge(hostLinks, n);
            address = ipam(n).claim(containerId, inUse);
            NetworkAttachment.Endpoint e = new NetworkAttachment.Endpoint(n.name(), "eth" + k, address, n.subnet().prefixLength(),
                    n.subnet().gateway());
            if (hostLinks.find(veth) != null) {
                hostLinks.delete(veth); // left by an earlier connect that failed half-way
            }
            hostLinks.createVeth(veth, e.device(), netns);
            try {
                hostLinks.up(veth, n.bridge());
                try (NetlinkSocket inside = NetlinkSocket.openIn(netns)) {
                    Links links = new Links(inside);
                    links.up(e.device(), null);
                    links.addAddress(e.device(), e.address(), e.prefixLength());
                }
            } catch (IOException | RuntimeException failed) {
                hostLinks.delete(veth); // its peer in the container goes with it
                throw failed;
            }
            return e;
        } catch (IOException | RuntimeException e) {
            if (address != null) {
                ipam(n).release(containerId);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new PelagosException(dev.pelagos.base.ErrorKind.INTERNAL, "cannot connect container " + containerId + " to network "
                    + n.name() + ": " + e.getMessage(), "check that this host allows bridges and veth pairs (ip link)", e);
        }
    }

    /** Takes a running container off one of its networks: the veth pair (both ends) and the address claim. */
    public void disconnect(String containerId, NetworkDef n, int k) throws PelagosException {
        try (NetlinkSocket host = NetlinkSocket.open()) {
            Links hostLinks = new Links(host);
            if (hostLinks.find(hostVeth(containerId, k)) != null) {
                hostLinks.delete(hostVeth(containerId, k));
            }
        } catch (NetlinkException e) {
            throw new PelagosException(dev.pelagos.base.ErrorKind.INTERNAL, "cannot disconnect container " + containerId + " from network "
                    + n.name() + ": " + e.getMessage(), null, e);
        }
        ipam(n).release(containerId);
    }

    private static void ensureBridge(Links host, NetworkDef n) throws NetlinkException {
        Links.Link bridge = host.find(n.bridge());
        if (bridge == null) {
            try {
                host.createBridge(n.bridge());
            } catch (NetlinkException e) {
                if (e.errno() != 17) { // EEXIST: another start made it meanwhile
                    throw e;
                }
            }
        }
        Inet4Address gateway = n.subnet().gateway();
        if (!host.addresses(n.bridge()).contains(gateway.getHostAddress() + "/" + n.subnet().prefixLength())) {
            try {
                host.addAddress(n.bridge(), gateway, n.subnet().prefixLength());
            } catch (NetlinkException e) {
                if (e.errno() != 17) {
                    throw e;
                }
            }
        }
        if (bridge == null || !bridge.up()) {
            host.up(n.bridge(), null);
        }
    }

    /** Removes a network's bridge from the host (its containers are gone) and its address claims. */
    public void removeBridge(NetworkDef n) throws PelagosException {
        try (NetlinkSocket host = NetlinkSocket.open()) {
            Links links = new Links(host);
            if (links.find(n.bridge()) != null) {
                links.delete(n.bridge());
            }
        } catch (NetlinkException e) {
            throw new PelagosException(dev.pelagos.base.ErrorKind.INTERNAL, "cannot remove bridge " + n.bridge() + ": " + e.getMessage(), null, e);
        }
        deleteTree(networks.resolve(n.name()));
    }

    /** The containers holding addresses on a network (their claims), for refusing to remove it under them. */
    public List<String> holders(NetworkDef n) throws PelagosException {
        Path ips = networks.resolve(n.name()).resolve("ips");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(ips)) {
            return out;
        }
        try (Stream<Path> claims = Files.list(ips)) {
            for (Path c : claims.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                out.add(Files.readString(c).strip());
            }
        } catch (IOException e) {
            throw PelagosException.io("list the addresses of network " + n.name(), e);
        }
        return out;
    }

    /** Lets go of what a container held: its namespace file (if the helper never took it) and its addresses. */
    public void detach(String containerId) throws PelagosException {
        undo(containerId, true);
    }

    private void undo(String containerId, boolean namespace) throws PelagosException {
        if (namespace) {
            try {
                NetNamespace.delete(netnsFile(containerId)); // its links end with it
            } catch (IOException e) {
                throw PelagosException.io("remove the network namespace of " + containerId, e);
            }
        }
        if (!Files.isDirectory(networks)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(networks)) {
            for (Path d : dirs.filter(p -> Files.isDirectory(p.resolve("ips"))).toList()) {
                Ipam.release(d.resolve("ips"), containerId);
            }
        } catch (IOException e) {
            throw PelagosException.io("release the addresses of " + containerId, e);
        }
    }

    private static void deleteTree(Path dir) throws PelagosException {
        try {
            dev.pelagos.base.FileTrees.delete(dir);
        } catch (IOException e) {
            throw PelagosException.io("remove " + dir, e);
        }
    }
}
