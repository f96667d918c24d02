package dev.pelagos.sys;

import java.io.IOException;
import java.nio.file.Path;

/**
 * nftables commands (nft's own language), run through libnftables in this process by the
 * helper's JNI library ({@code native/src/jni/nft.c}); the kernel applies each batch atomically.
 */
public final class Nftables {
    private Nftables() {
    }

    private static native String[] nativeRun(String commands);

    /**
     * Runs {@code commands} (one batch, several lines) and returns what nft printed (for list commands).
     *
     * @throws IOException with nft's own error text when it refused them, or when libnftables is missing
     */
    public static String run(Path jniLibrary, String commands) throws IOException {
        JniLibrary.load(jniLibrary);
        String[] r = nativeRun(commands);
        if (r[0].equals("-1")) {
            throw new IOException("cannot use nftables (libnftables.so.1): " + r[2] + "; install the nftables package");
        }
        if (!r[0].equals("0")) {
            throw new IOException("nftables refused the rules: " + r[2].strip());
        }
        return r[1];
    }
}
