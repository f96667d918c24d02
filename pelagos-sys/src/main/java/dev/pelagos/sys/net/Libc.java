package dev.pelagos.sys.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls networking needs, through FFM (DECISIONS §B: netlink is spoken from Java). Each
 * returns the call's result or throws {@link NetlinkException} with the errno; nothing here is on
 * the {@code --network none} start path.
 */
@SuppressWarnings("restricted")
final class Libc {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 02000000;
    static final int NETLINK_ROUTE = 0;
    static final int CLONE_NEWNET = 0x40000000;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 02000000;
    static final long MS_BIND = 4096;
    static final int MNT_DETACH = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle SEND = handle("send", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle UNSHARE = handle("unshare", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle MOUNT = handle("mount", FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, PTR));
    private static final MethodHandle UMOUNT2 = handle("umount2", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(PTR, INT));

    private Libc() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, Linker.Option.captureCallState("errno"));
    }

    /** The C library's text for an errno ("Operation not permitted"). */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static long check(String what, long rc, MemorySegment state) throws NetlinkException {
        if (rc < 0) {
            int errno = (int) ERRNO.get(state, 0L);
            throw new NetlinkException(what + ": " + strerror(errno), errno);
        }
        return rc;
    }

    private interface Call {
        long invoke(MemorySegment state, Arena arena) throws Throwable;
    }

    private static long call(String what, Call c) throws NetlinkException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return check(what, c.invoke(state, arena), state);
        } catch (NetlinkException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int netlinkSocket() throws NetlinkException {
        int fd = (int) call("socket(AF_NETLINK)", (s, a) -> (int) SOCKET.invokeExact(s, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
                NETLINK_ROUTE));
        try {
            // struct sockaddr_nl: family, pad, pid 0 (the kernel assigns it), groups 0
            call("bind(netlink)", (s, a) -> {
                MemorySegment addr = a.allocate(12);
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
                return (int) BIND.invokeExact(s, fd, addr, 12);
            });
        } catch (NetlinkException e) {
            close(fd);
            throw e;
        }
        return fd;
    }

    static void send(int fd, byte[] bytes) throws NetlinkException {
        long sent = call("send(netlink)", (s, a) -> (long) SEND.invokeExact(s, fd, a.allocateFrom(ValueLayout.JAVA_BYTE, bytes),
                (long) bytes.length, 0));
        if (sent != bytes.length) {
            throw new NetlinkException("send(netlink): " + sent + " of " + bytes.length + " bytes sent", 0);
        }
    }

    static byte[] recv(int fd, int max) throws NetlinkException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buf = arena.allocate(max);
            long n = check("recv(netlink)", (long) RECV.invokeExact(state, fd, buf, (long) max, 0), state);
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (NetlinkException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        try {
            call("close", (s, a) -> (int) CLOSE.invokeExact(s, fd));
        } catch (NetlinkException e) {
            // nothing to do about a failed close
        }
    }

    static int open(String path) throws NetlinkException {
        return (int) call("open " + path, (s, a) -> (int) OPEN.invokeExact(s, a.allocateFrom(path), O_RDONLY | O_CLOEXEC));
    }

    static void unshareNet() throws NetlinkException {
        call("unshare(CLONE_NEWNET)", (s, a) -> (int) UNSHARE.invokeExact(s, CLONE_NEWNET));
    }

    static void setns(int fd) throws NetlinkException {
        call("setns(CLONE_NEWNET)", (s, a) -> (int) SETNS.invokeExact(s, fd, CLONE_NEWNET));
    }

    static void bindMount(String source, String target) throws NetlinkException {
        call("bind " + source + " on " + target, (s, a) -> (int) MOUNT.invokeExact(s, a.allocateFrom(source), a.allocateFrom(target),
                MemorySegment.NULL, MS_BIND, MemorySegment.NULL));
    }

    static void detach(String target) throws NetlinkException {
        call("umount " + target, (s, a) -> (int) UMOUNT2.invokeExact(s, a.allocateFrom(target), MNT_DETACH));
    }
}
