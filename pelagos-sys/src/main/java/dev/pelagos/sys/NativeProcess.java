package dev.pelagos.sys;

import java.nio.file.Path;

/**
 * Signals to processes we started, through the helper's JNI library: a pidfd plus a start-time
 * check, so a PID the kernel has reused for another process is never signalled.
 */
public final class NativeProcess {
    private NativeProcess() {
    }

    private static native int signal(int pid, long startTime, int sig);

    /**
     * @param startTime field 22 of /proc/PID/stat recorded when the process started, or 0 to skip the check
     * @return 0, or the errno (3 = ESRCH: gone, or no longer ours)
     */
    public static int signal(Path jniLibrary, int pid, long startTime, int sig) {
        JniLibrary.load(jniLibrary);
        return signal(pid, startTime, sig);
    }
}
