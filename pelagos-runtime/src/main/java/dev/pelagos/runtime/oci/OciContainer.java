package dev.pelagos.runtime.oci;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.runtime.container.ProcessLiveness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One container in the OCI state root, as it is now: its record plus what the helper wrote
 * ({@code pid}) and what the filesystem says about its process.
 *
 * @param pid 0 while it is being created
 * @param startTime field 22 of /proc/PID/stat when the process started (guards against PID reuse)
 */
public record OciContainer(OciRecord record, Path dir, int pid, long startTime) {
    static final String PID_FILE = "pid";
    static final String FIFO = "exec.fifo";
    static final String PAUSED = "paused";
    static final String SECCOMP = "seccomp.bpf";

    public String id() {
        return record.id();
    }

    public Path fifo() {
        return dir.resolve(FIFO);
    }

    /** Alive means the recorded process still runs (not a zombie, not another process on a reused PID). */
    public boolean alive() {
        return pid > 0 && ProcessLiveness.isAlive(pid, startTime);
    }

    public OciStatus status() {
        if (pid == 0) {
            return ProcessLiveness.isAlive((int) record.creatorPid(), 0) ? OciStatus.CREATING : OciStatus.STOPPED;
        }
        if (!alive()) {
            return OciStatus.STOPPED;
        }
        if (Files.exists(dir.resolve(PAUSED))) {
            return OciStatus.PAUSED;
        }
        return Files.exists(fifo()) ? OciStatus.CREATED : OciStatus.RUNNING;
    }

    /** Writes the {@code pid} file as the helper does, for a process that came another way (a restore: no monitor). */
    static void writePid(Path dir, int pid, long startTime) throws IOException {
        AtomicFiles.write(dir.resolve(PID_FILE), pid + " " + startTime + " " + System.currentTimeMillis() + " 0\n");
    }

    /** Reads the helper's {@code pid} file: "PID STARTTIME STARTED_MS HELPERPID"; {0, 0} when absent. */
    static long[] readPid(Path dir) {
        try {
            String[] f = Files.readString(dir.resolve(PID_FILE)).trim().split("\\s+");
            return new long[] {Long.parseLong(f[0]), f.length > 1 ? Long.parseLong(f[1]) : 0};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
