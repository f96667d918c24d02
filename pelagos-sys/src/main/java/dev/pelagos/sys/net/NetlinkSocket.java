package dev.pelagos.sys.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A NETLINK_ROUTE socket: sends one request at a time and collects its replies. A socket serves
 * the network namespace it was opened in, whichever thread uses it later, so {@link #openIn}
 * opens one inside a container's namespace from a short-lived platform thread (setns is per
 * thread) and the rest of the JVM never leaves the host's namespace.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int RECEIVE_BUFFER = 1 << 16;
    private final int fd;
    private int seq;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** One message of a reply. */
    public record Reply(int type, int flags, byte[] payload) {
    }

    /** A socket in this thread's (the host's) network namespace. */
    public static NetlinkSocket open() throws NetlinkException {
        return new NetlinkSocket(Libc.netlinkSocket());
    }

    /** A socket in the network namespace {@code netns} (a /proc/PID/ns/net or a bound namespace file). */
    public static NetlinkSocket openIn(Path netns) throws NetlinkException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("pelagos-netns").start(() -> {
            try {
                int self = Libc.open("/proc/thread-self/ns/net");
                try {
                    int target = Libc.open(netns.toString());
                    try {
                        Libc.setns(target);
                        result.set(Libc.netlinkSocket());
                    } finally {
                        Libc.close(target);
                        // back home; if this failed the thread ends anyway and takes the namespace with it
                        Libc.setns(self);
                    }
                } finally {
                    Libc.close(self);
                }
            } catch (NetlinkException e) {
                result.compareAndSet(null, e);
            }
        });
        join(t);
        if (result.get() instanceof Integer s) {
            return new NetlinkSocket(s);
        }
        throw result.get() instanceof NetlinkException e ? e : new NetlinkException("open a netlink socket in " + netns, 0);
    }

    static void join(Thread t) throws NetlinkException {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetlinkException("interrupted", 0);
        }
    }

    /**
     * Sends the request (with an acknowledgement asked for) and returns what came back before the
     * acknowledgement or, for a dump, before NLMSG_DONE.
     *
     * @param what names the request in errors, e.g. "create bridge pelagos0"
     */
    public synchronized List<Reply> call(NetlinkMessage request, String what) throws NetlinkException {
        int mySeq = ++seq;
        byte[] bytes = request.bytes(mySeq);
        // the flags are at offset 6: ask for an acknowledgement
        bytes[6] |= (byte) Rtnl.NLM_F_ACK;
        Libc.send(fd, bytes);
        List<Reply> out = new ArrayList<>();
        while (true) {
            byte[] got = Libc.recv(fd, RECEIVE_BUFFER);
            ByteBuffer b = ByteBuffer.wrap(got).order(ByteOrder.nativeOrder());
            int at = 0;
            while (at + NetlinkMessage.HEADER <= got.length) {
                int len = b.getInt(at);
                int type = b.getShort(at + 4) & 0xffff;
                int flags = b.getShort(at + 6) & 0xffff;
                int replySeq = b.getInt(at + 8);
                if (len < NetlinkMessage.HEADER || at + len > got.length) {
                    throw new NetlinkException(what + ": a malformed netlink reply", 0);
                }
                byte[] payload = java.util.Arrays.copyOfRange(got, at + NetlinkMessage.HEADER, at + len);
                at += (len + 3) & ~3;
                if (replySeq != mySeq) {
                    continue; // a late reply to an earlier request
                }
                if (type == Rtnl.NLMSG_DONE) {
                    return out;
                }
                if (type == Rtnl.NLMSG_ERROR) {
                    int error = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(0);
                    if (error == 0) {
                        return out;
                    }
                    throw new NetlinkException(what + ": " + Libc.strerror(-error), -error);
                }
                out.add(new Reply(type, flags, payload));
            }
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
