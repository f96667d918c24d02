package dev.pelagos.sys;

import java.nio.file.Path;

/**
 * Hands this process over to the helper: a JNI {@code execv} (0.3 ms) instead of a fork, which
 * the JVM must never do, or an FFM downcall, whose first use costs 15-40 ms (DECISIONS §B).
 * The spec travels in a memfd whose number is appended to argv as {@code --spec-fd N}. A failed
 * exec leaves the JVM intact (its descriptors are only marked close-on-exec).
 */
public final class NativeHandoff {
    private static final int ELIBACC = 79;

    private NativeHandoff() {
    }

    private static native int execHelper(String path, String[] argv, byte[] spec, int keepFds);

    /**
     * Replaces this process with {@code helper}. Returns only on failure, with the errno
     * (ELIBACC, 79, when the JNI library cannot be loaded).
     *
     * @param jniLibrary the libpelagos-jni.so built with the helper
     * @param keepFds how many of this process's fds from 3 on go through to the helper (OCI
     *                --preserve-fds)
     */
    public static int exec(Path jniLibrary, Path helper, String[] argv, byte[] spec, int keepFds) {
        try {
            JniLibrary.load(jniLibrary);
        } catch (UnsatisfiedLinkError e) {
            return ELIBACC;
        }
        return execHelper(helper.toString(), argv, spec, keepFds);
    }
}
