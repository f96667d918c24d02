package dev.pelagos.sys.net;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Links, addresses and routes of one network namespace, over its netlink socket: what a bridge
 * network needs (a bridge, veth pairs with one end moved into a container's namespace, IPv4
 * addresses, a default route). Each operation names itself in its errors.
 */
public final class Links {
    private final NetlinkSocket socket;

    /** A link as the kernel lists it. */
    public record Link(int index, String name, boolean up, int mtu, int master) {
    }

    public Links(NetlinkSocket socket) {
        this.socket = socket;
    }

    public List<Link> list() throws NetlinkException {
        NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_GETLINK, Rtnl.NLM_F_DUMP).header(Rtnl.ifinfomsg(0, 0, 0));
        List<Link> out = new ArrayList<>();
        for (NetlinkSocket.Reply r : socket.call(m, "list links")) {
            if (r.type() == Rtnl.RTM_NEWLINK) {
                out.add(parseLink(r.payload()));
            }
        }
        return out;
    }

    /** The link called {@code name}, or null: one request for it, not a dump of every link. */
    public Link find(String name) throws NetlinkException {
        NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_GETLINK, 0).header(Rtnl.ifinfomsg(0, 0, 0)).attr(Rtnl.IFLA_IFNAME, name);
        try {
            for (NetlinkSocket.Reply r : socket.call(m, "find link " + name)) {
                if (r.type() == Rtnl.RTM_NEWLINK) {
                    return parseLink(r.payload());
                }
            }
            return null;
        } catch (NetlinkException e) {
            if (e.errno() == 19) { // ENODEV
                return null;
            }
            throw e;
        }
    }

    private int index(String name) throws NetlinkException {
        Link l = find(name);
        if (l == null) {
            throw new NetlinkException("no link named " + name, 19); // ENODEV
        }
        return l.index();
    }

    public void createBridge(String name) throws NetlinkException {
        NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL).header(Rtnl.ifinfomsg(0, 0, 0))
                .attr(Rtnl.IFLA_IFNAME, name).begin(Rtnl.IFLA_LINKINFO).attr(Rtnl.IFLA_INFO_KIND, "bridge").end();
        socket.call(m, "create bridge " + name);
    }

    /**
     * Creates a veth pair; with {@code peerNetns} the peer is made directly inside that namespace
     * (a /proc/PID/ns/net or bound namespace file), so it never appears on the host.
     */
    public void createVeth(String name, String peerName, Path peerNetns) throws NetlinkException {
        int nsFd = peerNetns == null ? -1 : Libc.open(peerNetns.toString());
        try {
            NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                    .header(Rtnl.ifinfomsg(0, 0, 0)).attr(Rtnl.IFLA_IFNAME, name).begin(Rtnl.IFLA_LINKINFO)
                    .attr(Rtnl.IFLA_INFO_KIND, "veth").begin(Rtnl.IFLA_INFO_DATA).begin(Rtnl.VETH_INFO_PEER)
                    .raw(Rtnl.ifinfomsg(0, 0, 0)).attr(Rtnl.IFLA_IFNAME, peerName);
            if (nsFd >= 0) {
                m.attrU32(Rtnl.IFLA_NET_NS_FD, nsFd);
            }
            m.end().end().end();
            socket.call(m, "create veth pair " + name + "/" + peerName);
        } finally {
            if (nsFd >= 0) {
                Libc.close(nsFd);
            }
        }
    }

    /** Sets the link up, and (when {@code master} is not null) makes it a port of that bridge. */
    public void up(String name, String master) throws NetlinkException {
        NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_NEWLINK, 0).header(Rtnl.ifinfomsg(index(name), Rtnl.IFF_UP, Rtnl.IFF_UP));
        if (master != null) {
            m.attrU32(Rtnl.IFLA_MASTER, index(master));
        }
        socket.call(m, "set " + name + " up" + (master == null ? "" : " on " + master));
    }

    public void delete(String name) throws NetlinkException {
        NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_DELLINK, 0).header(Rtnl.ifinfomsg(index(name), 0, 0));
        socket.call(m, "delete link " + name);
    }

    /** Adds an IPv4 address with its prefix length (the subnet's route comes with it). */
    public void addAddress(String name, Inet4Address address, int prefixLength) throws NetlinkException {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                .header(Rtnl.ifaddrmsg(Rtnl.AF_INET, prefixLength, index(name))).attr(Rtnl.IFA_LOCAL, address.getAddress())
                .attr(Rtnl.IFA_ADDRESS, address.getAddress());
        socket.call(m, "add address " + address.getHostAddress() + "/" + prefixLength + " to " + name);
    }

    /** The IPv4 addresses of a link, as "A.B.C.D/N". */
    public List<String> addresses(String name) throws NetlinkException {
        int index = index(name);
        NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_GETADDR, Rtnl.NLM_F_DUMP).header(Rtnl.ifaddrmsg(Rtnl.AF_INET, 0, 0));
        List<String> out = new ArrayList<>();
        for (NetlinkSocket.Reply r : socket.call(m, "list addresses")) {
            ByteBuffer b = ByteBuffer.wrap(r.payload()).order(ByteOrder.nativeOrder());
            if (r.type() != Rtnl.RTM_NEWADDR || b.getInt(4) != index) {
                continue;
            }
            int prefix = b.get(1) & 0xff;
            for (int at = 8; at + 4 <= r.payload().length; ) {
                int len = b.getShort(at) & 0xffff;
                int type = b.getShort(at + 2) & 0xffff;
                if (len < 4) {
                    break;
                }
                if (type == Rtnl.IFA_LOCAL && len == 8) {
                    out.add((b.get(at + 4) & 0xff) + "." + (b.get(at + 5) & 0xff) + "." + (b.get(at + 6) & 0xff) + "."
                            + (b.get(at + 7) & 0xff) + "/" + prefix);
                }
                at += (len + 3) & ~3;
            }
        }
        return out;
    }

    /** A default route through {@code gateway}. */
    public void addDefaultRoute(Inet4Address gateway) throws NetlinkException {
        NetlinkMessage m = new NetlinkMessage(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL).header(Rtnl.rtmsg(Rtnl.AF_INET, 0))
                .attr(Rtnl.RTA_GATEWAY, gateway.getAddress());
        socket.call(m, "add default route via " + gateway.getHostAddress());
    }

    static Link parseLink(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
        int index = b.getInt(4);
        int flags = b.getInt(8);
        String name = "";
        int mtu = 0;
        int master = 0;
        for (int at = 16; at + 4 <= p.length; ) {
            int len = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & 0xffff;
            if (len < 4 || at + len > p.length) {
                break;
            }
            switch (type) {
                case Rtnl.IFLA_IFNAME -> {
                    int end = at + 4;
                    while (end < at + len && p[end] != 0) {
                        end++;
                    }
                    name = new String(p, at + 4, end - at - 4, StandardCharsets.UTF_8);
                }
                case Rtnl.IFLA_MTU -> mtu = b.getInt(at + 4);
                case Rtnl.IFLA_MASTER -> master = b.getInt(at + 4);
                default -> {
                }
            }
            at += (len + 3) & ~3;
        }
        return new Link(index, name, (flags & Rtnl.IFF_UP) != 0, mtu, master);
    }
}
