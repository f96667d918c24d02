package dev.pelagos.sys.net;

import java.io.IOException;

/** A failed netlink request or system call, with the kernel's errno (0 when there is none). */
public final class NetlinkException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public NetlinkException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
