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
import java.util.function.Predicate;

/**
 * The default bridge network ({@code --network bridge}, REFERENCE §7.1): the bridge
 * {@code pelagos0} with 172.19.0.1/24 on the host, made on first use and kept, and per container a
 * network namespace with {@code lo} and {@code eth0} (one end of a veth pair whose other end is a
 * port of the bridge), an address from {@link Ipam} and a default route through the bridge.
 * Containers on it reach each other and the host; traffic beyond the host (NAT) and published
 * ports come with the rest of the networking work.
 */
public final class BridgeNetwork {
    public static final String BRIDGE = "pelagos0";
    private static final Inet4Address SUBNET = Ipam.toAddress(172 << 24 | 19 << 16);
    private static final int PREFIX = 24;

    private final Path networks;
    private final Ipam ipam;

    /** @param runtimeDir the runtime state directory (PelagosPaths.runtime): claims and namespace files go under it */
    public BridgeNetwork(Path runtimeDir) {
        this.networks = runtimeDir.resolve("networks/bridge");
        this.ipam = new Ipam(networks.resolve("ips"), SUBNET, PREFIX);
    }

    /** Where containers' namespace files are bound until their helpers join them. */
    public Path netnsDir() {
        return networks.resolve("netns");
    }

    /** Where a container's namespace file is bound until the helper joins it. */
    public Path netnsFile(String containerId) {
        return netnsDir().resolve(containerId);
    }

    /** The claim file of an address (removed with a --rm container when it ends). */
    public Path claimFile(Inet4Address address) {
        return networks.resolve("ips").resolve(address.getHostAddress());
    }

    /** The host end of a container's veth pair: "vh-" and 8 hex digits of its id (link names have 15 bytes). */
    static String hostVeth(String containerId) {
        return "vh-" + containerId.substring(0, Math.min(8, containerId.length()));
    }

    /**
     * Puts a container on the network: its namespace, address and links. On failure nothing of
     * it is left (the namespace, its links and the claim are undone).
     *
     * @param inUse whether another container still holds its address (a claim by one that stopped is reused)
     */
    public NetworkAttachment attach(String containerId, Predicate<String> inUse) throws PelagosException {
        Path netns = netnsFile(containerId);
        Inet4Address address = ipam.claim(containerId, inUse);
        boolean made = false;
        try (NetlinkSocket host = NetlinkSocket.open()) {
            Links hostLinks = new Links(host);
            ensureBridge(hostLinks);
            Files.createDirectories(netns.getParent());
            Files.deleteIfExists(netns); // a file left by a crash: not bound (a bound one is busy)
            NetNamespace.create(netns);
            made = true;
            String veth = hostVeth(containerId);
            if (hostLinks.find(veth) != null) {
                hostLinks.delete(veth); // left by a container with the same id prefix that crashed
            }
            hostLinks.createVeth(veth, "eth0", netns);
            hostLinks.up(veth, BRIDGE);
            try (NetlinkSocket inside = NetlinkSocket.openIn(netns)) {
                Links links = new Links(inside);
                links.up("lo", null);
                links.up("eth0", null);
                links.addAddress("eth0", address, PREFIX);
                links.addDefaultRoute(ipam.gateway());
            }
            return new NetworkAttachment(netns, address, PREFIX, ipam.gateway());
        } catch (IOException e) {
            undo(containerId, made);
            throw new PelagosException(dev.pelagos.base.ErrorKind.INTERNAL, "cannot put container " + containerId
                    + " on the bridge network: " + e.getMessage(), "check that this host allows bridges and veth pairs (ip link)", e);
        }
    }

    private void ensureBridge(Links host) throws NetlinkException {
        Links.Link bridge = host.find(BRIDGE);
        if (bridge == null) {
            try {
                host.createBridge(BRIDGE);
            } catch (NetlinkException e) {
                if (e.errno() != 17) { // EEXIST: another start made it meanwhile
                    throw e;
                }
            }
        }
        String gateway = ipam.gateway().getHostAddress() + "/" + PREFIX;
        if (!host.addresses(BRIDGE).contains(gateway)) {
            try {
                host.addAddress(BRIDGE, ipam.gateway(), PREFIX);
            } catch (NetlinkException e) {
                if (e.errno() != 17) {
                    throw e;
                }
            }
        }
        if (bridge == null || !bridge.up()) {
            host.up(BRIDGE, null);
        }
    }

    /** Lets go of what a container held: its namespace file (if the helper never took it) and its address. */
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
        ipam.release(containerId);
    }
}
