package dev.pelagos.runtime.oci;

import dev.pelagos.runtime.launch.Helper;
import dev.pelagos.sys.NativeProcess;

/** SIGKILL to a container process, by pidfd with a start-time check (a reused PID is never hit). */
final class NativeSignal {
    private NativeSignal() {
    }

    static void kill(Helper helper, OciContainer c) {
        if (c.pid() <= 0) {
            return;
        }
        NativeProcess.signal(helper.jniLibrary(), c.pid(), c.startTime(), 9);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (c.alive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
