package dev.pelagos.cgroup;

import java.util.List;

/** SIGKILL for the tasks of a cgroup, through the JDK (no fork, no native code). */
final class Signals {
    private Signals() {
    }

    /** Sends SIGKILL to each pid still alive; never to this JVM itself. */
    static void killAll(List<Long> pids) {
        long self = ProcessHandle.current().pid();
        for (long pid : pids) {
            if (pid != self) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
