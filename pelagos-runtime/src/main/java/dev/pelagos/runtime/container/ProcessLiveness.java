package dev.pelagos.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Is a recorded process still the one we started? (PID plus start time, so a reused PID is not mistaken for it.) */
public final class ProcessLiveness {
    private ProcessLiveness() {
    }

    /** Field 22 of /proc/PID/stat (start time in clock ticks since boot), or -1 when the process is gone or a zombie. */
    public static long startTime(int pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            // f[0] is field 3 (state); field 22 is f[19]
            if (f[0].equals("Z") || f[0].equals("X")) {
                return -1;
            }
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Our own start time (field 22 of /proc/self/stat), to record beside our PID. */
    public static long selfStartTime() {
        return startTime((int) ProcessHandle.current().pid());
    }

    public static boolean isAlive(int pid, long startTime) {
        long now = startTime(pid);
        return now >= 0 && (startTime == 0 || now == startTime);
    }
}
