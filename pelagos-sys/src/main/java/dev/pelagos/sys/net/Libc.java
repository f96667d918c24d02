package dev.pelagos.sys.net;

import dev.pelagos.sys.JniLibrary;

/**
 * The libc calls networking needs, through the helper's JNI library ({@code native/src/jni/net.c}):
 * measured, FFM's first use cost a bridge start ~100 ms, a JNI call costs 0.3 ms (DECISIONS §B).
 * Each returns the call's result or throws {@link NetlinkException} with the errno.
 */
final class Libc {
    private static volatile boolean loaded;

    private Libc() {
    }

    private static native int nativeNetlinkSocket();

    private static native int nativeSend(int fd, byte[] message);

    private static native byte[] nativeRecv(int fd, int max, int[] errno);

    private static native void nativeClose(int fd);

    private static native int nativeOpen(String path);

    private static native int nativeUnshareNet();

    private static native int nativeSetns(int fd);

    private static native String nativeStrerror(int errno);

    private static void load() throws NetlinkException {
        if (!loaded) {
            try {
                JniLibrary.loadInstalled();
            } catch (UnsatisfiedLinkError e) {
                throw new NetlinkException("cannot load the JNI library: " + e.getMessage(), 0);
            }
            loaded = true;
        }
    }

    private static int check(String what, int rc) throws NetlinkException {
        if (rc < 0) {
            throw new NetlinkException(what + ": " + strerror(-rc), -rc);
        }
        return rc;
    }

    /** The C library's text for an errno ("Operation not permitted"). */
    static String strerror(int errno) {
        try {
            load();
            return nativeStrerror(errno);
        } catch (NetlinkException e) {
            return "errno " + errno;
        }
    }

    static int netlinkSocket() throws NetlinkException {
        load();
        return check("socket(AF_NETLINK)", nativeNetlinkSocket());
    }

    static void send(int fd, byte[] bytes) throws NetlinkException {
        load();
        int sent = check("send(netlink)", nativeSend(fd, bytes));
        if (sent != bytes.length) {
            throw new NetlinkException("send(netlink): " + sent + " of " + bytes.length + " bytes sent", 0);
        }
    }

    static byte[] recv(int fd, int max) throws NetlinkException {
        load();
        int[] errno = new int[1];
        byte[] got = nativeRecv(fd, max, errno);
        if (got == null) {
            throw new NetlinkException("recv(netlink): " + strerror(errno[0]), errno[0]);
        }
        return got;
    }

    static void close(int fd) {
        if (loaded) {
            nativeClose(fd);
        }
    }

    static int open(String path) throws NetlinkException {
        load();
        return check("open " + path, nativeOpen(path));
    }

    static void unshareNet() throws NetlinkException {
        load();
        check("unshare(CLONE_NEWNET)", nativeUnshareNet());
    }

    static void setns(int fd) throws NetlinkException {
        load();
        check("setns(CLONE_NEWNET)", nativeSetns(fd));
    }

    static void bindMount(String source, String target) throws NetlinkException {
        load();
        check("bind " + source + " on " + target, dev.pelagos.sys.BindMounts.bindOrErrno(source, target, false));
    }

    static void detach(String target) throws NetlinkException {
        load();
        check("umount " + target, dev.pelagos.sys.BindMounts.detachOrErrno(target));
    }
}
