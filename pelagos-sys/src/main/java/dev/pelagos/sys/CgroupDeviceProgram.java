package dev.pelagos.sys;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Puts a device program (eBPF, {@code BPF_PROG_TYPE_CGROUP_DEVICE}) on a cgroup v2 directory in
 * place of the device programs already there, through the helper's JNI library: it runs on the
 * container start path, where an FFM downcall would cost 15-40 ms (DECISIONS §B). The new program
 * is attached before the old ones are detached, and while both are on the cgroup the kernel
 * allows only what both allow.
 */
public final class CgroupDeviceProgram {
    private CgroupDeviceProgram() {
    }

    private static native String replace(String cgroupDir, byte[] instructions);

    /**
     * @param jniLibrary   the libpelagos-jni.so built with the helper
     * @param cgroupDir    the cgroup's directory in the cgroup2 hierarchy
     * @param instructions the program, 8 bytes an instruction
     * @throws IOException with the kernel's reason (and the verifier's, for a refused program)
     */
    public static void replace(Path jniLibrary, Path cgroupDir, byte[] instructions) throws IOException {
        try {
            JniLibrary.load(jniLibrary);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot load " + jniLibrary + ": " + e.getMessage(), e);
        }
        String error = replace(cgroupDir.toString(), instructions);
        if (error != null) {
            throw new IOException(error);
        }
    }
}
