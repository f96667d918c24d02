package dev.pelagos.sys.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One netlink request as the kernel reads it: {@code struct nlmsghdr}, a fixed family header
 * (ifinfomsg, ifaddrmsg, rtmsg as raw bytes) and route attributes ({@code struct rtattr}, each
 * padded to 4 bytes), which may nest. Host byte order, as netlink is. Built once, then
 * {@link #bytes(int)} stamps the sequence number.
 */
public final class NetlinkMessage {
    static final int HEADER = 16;
    private final int type;
    private final int flags;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Deque<Integer> open = new ArrayDeque<>();

    /**
     * @param type  e.g. {@link Rtnl#RTM_NEWLINK}
     * @param flags {@link Rtnl#NLM_F_REQUEST} is added
     */
    public NetlinkMessage(int type, int flags) {
        this.type = type;
        this.flags = flags | Rtnl.NLM_F_REQUEST;
    }

    /** The family header: raw bytes, already laid out (see {@link Rtnl}). */
    public NetlinkMessage header(byte[] familyHeader) {
        if (body.size() != 0) {
            throw new IllegalStateException("the family header comes first");
        }
        body.writeBytes(familyHeader);
        pad();
        return this;
    }

    public NetlinkMessage attr(int type, byte[] value) {
        int len = 4 + value.length;
        body.writeBytes(le16(len));
        body.writeBytes(le16(type));
        body.writeBytes(value);
        pad();
        return this;
    }

    /** A NUL-terminated string attribute (interface names, link kinds). */
    public NetlinkMessage attr(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return attr(type, z);
    }

    public NetlinkMessage attrU32(int type, int value) {
        return attr(type, le32(value));
    }

    /** Opens a nested attribute; everything until {@link #end} goes inside it. */
    public NetlinkMessage begin(int type) {
        open.push(body.size());
        body.writeBytes(le16(0)); // the length, filled in by end()
        body.writeBytes(le16(type));
        return this;
    }

    /** Raw bytes inside a nested attribute (VETH_INFO_PEER carries an ifinfomsg before its attributes). */
    public NetlinkMessage raw(byte[] bytes) {
        body.writeBytes(bytes);
        pad();
        return this;
    }

    public NetlinkMessage end() {
        if (open.isEmpty()) {
            throw new IllegalStateException("no nested attribute is open");
        }
        int at = open.pop();
        byte[] all = body.toByteArray();
        int len = all.length - at;
        all[at] = (byte) len;
        all[at + 1] = (byte) (len >> 8);
        body.reset();
        body.writeBytes(all);
        return this;
    }

    public int type() {
        return type;
    }

    /** The whole message with this sequence number; the port id is 0 (the kernel fills it in). */
    public byte[] bytes(int seq) {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " nested attribute(s) not ended");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + body.size()).order(ByteOrder.nativeOrder());
        b.putInt(HEADER + body.size()).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        b.put(body.toByteArray());
        return b.array();
    }

    private void pad() {
        while (body.size() % 4 != 0) {
            body.write(0);
        }
    }

    static byte[] le16(int v) {
        return ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) v).array();
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
