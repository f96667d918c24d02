package dev.pelagos.sys;

import java.nio.file.Path;
import java.util.Optional;

/** A request and its answer over a Unix stream socket, through the helper's JNI library ({@code native/src/jni/unixsock.c}). */
public final class UnixSockets {
    private UnixSockets() {
    }

    private static native byte[] nativeRequest(String socket, byte[] request, int timeoutMillis);

    /**
     * Connects to {@code socket}, writes {@code request}, ends the writing side and reads until the
     * server closes (at most 256 bytes). Empty when nobody listens there or the answer does not
     * come within {@code timeoutMillis} (per read or write).
     */
    public static Optional<byte[]> request(Path jniLibrary, Path socket, byte[] request, int timeoutMillis) {
        JniLibrary.load(jniLibrary);
        return Optional.ofNullable(nativeRequest(socket.toString(), request, timeoutMillis));
    }
}
