package dev.pelagos.sys.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The rtnetlink vocabulary the link, address and route operations use (linux/netlink.h,
 * linux/rtnetlink.h, linux/if_link.h, linux/veth.h), and the family headers laid out as the
 * kernel's structs.
 */
public final class Rtnl {
    // nlmsghdr flags and types
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;

    // link attributes
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int VETH_INFO_PEER = 1;
    public static final int IFF_UP = 0x1;

    // address and route attributes
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RTPROT_BOOT = 3;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RTN_UNICAST = 1;

    private Rtnl() {
    }

    /** struct ifinfomsg: family, pad, type, index, flags, change (16 bytes). */
    public static byte[] ifinfomsg(int index, int flags, int change) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).put((byte) AF_UNSPEC).put((byte) 0).putShort((short) 0)
                .putInt(index).putInt(flags).putInt(change).array();
    }

    /** struct ifaddrmsg: family, prefixlen, flags, scope, index (8 bytes). */
    public static byte[] ifaddrmsg(int family, int prefixLength, int index) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).put((byte) family).put((byte) prefixLength).put((byte) 0)
                .put((byte) RT_SCOPE_UNIVERSE).putInt(index).array();
    }

    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags (12 bytes). */
    public static byte[] rtmsg(int family, int dstLength) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).put((byte) family).put((byte) dstLength).put((byte) 0)
                .put((byte) 0).put((byte) RT_TABLE_MAIN).put((byte) RTPROT_BOOT).put((byte) RT_SCOPE_UNIVERSE)
                .put((byte) RTN_UNICAST).putInt(0).array();
    }
}
