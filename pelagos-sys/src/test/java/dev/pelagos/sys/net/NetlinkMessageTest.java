package dev.pelagos.sys.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The encoding the kernel reads: nlmsghdr, family header, 4-byte aligned attributes whose nested lengths add up. */
class NetlinkMessageTest {
    private static ByteBuffer buf(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    }

    @Test
    void headerCarriesLengthTypeFlagsAndSequence() {
        byte[] m = new NetlinkMessage(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE).header(Rtnl.ifinfomsg(7, Rtnl.IFF_UP, Rtnl.IFF_UP)).bytes(42);
        ByteBuffer b = buf(m);
        assertThat(m).hasSize(16 + 16);
        assertThat(b.getInt(0)).isEqualTo(32);
        assertThat(b.getShort(4)).isEqualTo((short) Rtnl.RTM_NEWLINK);
        assertThat(b.getShort(6)).isEqualTo((short) (Rtnl.NLM_F_CREATE | Rtnl.NLM_F_REQUEST));
        assertThat(b.getInt(8)).isEqualTo(42);
        assertThat(b.getInt(16 + 4)).as("ifi_index").isEqualTo(7);
        assertThat(b.getInt(16 + 8)).as("ifi_flags").isEqualTo(Rtnl.IFF_UP);
    }

    @Test
    void attributesArePaddedAndNestedLengthsCoverTheirContents() {
        byte[] m = new NetlinkMessage(Rtnl.RTM_NEWLINK, 0).header(Rtnl.ifinfomsg(0, 0, 0)).attr(Rtnl.IFLA_IFNAME, "veth0")
                .begin(Rtnl.IFLA_LINKINFO).attr(Rtnl.IFLA_INFO_KIND, "veth").begin(Rtnl.IFLA_INFO_DATA).begin(Rtnl.VETH_INFO_PEER)
                .raw(Rtnl.ifinfomsg(0, 0, 0)).attr(Rtnl.IFLA_IFNAME, "eth0").end().end().end().bytes(1);
        ByteBuffer b = buf(m);
        assertThat(m.length % 4).isZero();
        assertThat(b.getInt(0)).isEqualTo(m.length);
        int at = 32;
        // IFLA_IFNAME "veth0\0": 4 + 6 = 10 bytes, padded to 12
        assertThat(b.getShort(at)).isEqualTo((short) 10);
        assertThat(new String(m, at + 4, 5, StandardCharsets.UTF_8)).isEqualTo("veth0");
        at += 12;
        int linkinfo = b.getShort(at);
        assertThat(b.getShort(at + 2)).isEqualTo((short) Rtnl.IFLA_LINKINFO);
        assertThat(at + linkinfo).as("IFLA_LINKINFO runs to the end").isEqualTo(m.length);
        int kindLen = b.getShort(at + 4);
        assertThat(kindLen).isEqualTo(4 + 5); // "veth\0"
        int data = at + 4 + 12;
        assertThat(b.getShort(data + 2)).isEqualTo((short) Rtnl.IFLA_INFO_DATA);
        assertThat(data + b.getShort(data)).isEqualTo(m.length);
        int peer = data + 4;
        assertThat(b.getShort(peer + 2)).isEqualTo((short) Rtnl.VETH_INFO_PEER);
        assertThat(b.getShort(peer)).as("peer: header, ifinfomsg, IFLA_IFNAME eth0").isEqualTo((short) (4 + 16 + 12));
        assertThat(new String(m, peer + 4 + 16 + 4, 4, StandardCharsets.UTF_8)).isEqualTo("eth0");
    }

    @Test
    void unbalancedNestingIsAProgrammingError() {
        assertThatThrownBy(() -> new NetlinkMessage(Rtnl.RTM_NEWLINK, 0).begin(Rtnl.IFLA_LINKINFO).bytes(1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new NetlinkMessage(Rtnl.RTM_NEWLINK, 0).end()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void linksAreReadFromTheirAttributes() {
        byte[] payload = new NetlinkMessage(Rtnl.RTM_NEWLINK, 0).header(Rtnl.ifinfomsg(5, Rtnl.IFF_UP, 0)).attr(Rtnl.IFLA_IFNAME, "br0")
                .attrU32(Rtnl.IFLA_MTU, 1500).attrU32(Rtnl.IFLA_MASTER, 3).bytes(1);
        byte[] body = java.util.Arrays.copyOfRange(payload, 16, payload.length);
        assertThat(Links.parseLink(body)).isEqualTo(new Links.Link(5, "br0", true, 1500, 3));
    }
}
