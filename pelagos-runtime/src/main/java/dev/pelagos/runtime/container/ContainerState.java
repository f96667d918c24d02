package dev.pelagos.runtime.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the helper recorded about a container's process: {@code pid} ("PID STARTTIME STARTED_MS
 * MONITOR_PID") once it runs, {@code exit} (key=value lines) once it ended.
 */
public record ContainerState(int pid, long pidStartTime, long startedAtMillis, int monitorPid, long monitorStartTime,
        Integer exitCode, int signal, boolean oomKilled, long finishedAtMillis, Health health) {

    /** What the monitor recorded of the health check ({@code <state>/health}), or null without one. */
    public record Health(String status, int failingStreak, int lastExitCode, String lastOutput) {
    }

    public static ContainerState read(Path stateDir) throws IOException {
        int pid = 0;
        int monitor = 0;
        long monitorStart = -1;
        long start = 0;
        long startedAt = 0;
        try {
            String[] f = Files.readString(stateDir.resolve("pid"), StandardCharsets.UTF_8).trim().split("\\s+");
            pid = Integer.parseInt(f[0]);
            start = f.length > 1 ? Long.parseLong(f[1]) : 0;
            startedAt = f.length > 2 ? Long.parseLong(f[2]) : 0;
            monitor = f.length > 3 ? Integer.parseInt(f[3]) : 0;
            // an old 4-field file has no start time for the monitor: it cannot be told from a reused PID
            monitorStart = f.length > 4 ? Long.parseLong(f[4]) : -1;
        } catch (NoSuchFileException e) {
            // not started (yet)
        }
        Map<String, String> exit = new HashMap<>();
        try {
            for (String line : Files.readAllLines(stateDir.resolve("exit"), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    exit.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (NoSuchFileException e) {
            // still running, or never started
        }
        Integer code = exit.containsKey("exit_code") ? Integer.valueOf(exit.get("exit_code")) : null;
        return new ContainerState(pid, start, startedAt, monitor, monitorStart, code, Integer.parseInt(exit.getOrDefault("signal", "0")),
                "1".equals(exit.get("oom_killed")), Long.parseLong(exit.getOrDefault("finished_at", "0")), readHealth(stateDir));
    }

    private static Health readHealth(Path stateDir) throws IOException {
        Map<String, String> h = new HashMap<>();
        try {
            for (String line : Files.readAllLines(stateDir.resolve("health"), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    h.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        String out = h.getOrDefault("last_output", "").replace("\\n", "\n").replace("\\\\", "\\");
        return new Health(h.getOrDefault("status", "starting"), Integer.parseInt(h.getOrDefault("failing_streak", "0")),
                Integer.parseInt(h.getOrDefault("last_exit", "0")), out);
    }
}
