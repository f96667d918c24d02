package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What the host sees of pelagos containers, read without going through pelagos: the state files
 * (layout in docs/ARCHITECTURE.md), the recorded processes, the cgroup directories under
 * /sys/fs/cgroup/&lt;controller&gt;/pelagos/&lt;id&gt; (v1) or /sys/fs/cgroup/pelagos/&lt;id&gt; (v2), the host
 * mount table. The lifecycle and cgroup ITs use it to check that pelagos reports the truth and leaves
 * nothing behind.
 */
public final class HostView {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private final Pelagos pelagos;

    public HostView(Pelagos pelagos) {
        this.pelagos = pelagos;
    }

    /** The {@code pid} file: "PID STARTTIME STARTED_MS MONITOR_PID [MONITOR_STARTTIME]" (0 when not recorded). */
    public record PidFile(long pid, long startTime, long startedMillis, long monitorPid, long monitorStartTime) {
        /** The file's content, e.g. to write it back with other PIDs. */
        public String format() {
            return pid + " " + startTime + " " + startedMillis + " " + monitorPid + (monitorStartTime > 0 ? " " + monitorStartTime : "") + "\n";
        }
    }

    /** {@code pelagos run -d ARGS...}: asserts it succeeded and printed a 64-hex id, and returns the id. */
    public String runDetached(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "-d"));
        argv.addAll(List.of(args));
        Pelagos.Result r = pelagos.run(argv);
        assertThat(r.code()).as("run -d %s; stderr: %s", argv, r.err()).isZero();
        String id = r.out().strip();
        assertThat(id).as("run -d prints the id").matches("[0-9a-f]{64}");
        return id;
    }

    public Path stateDir(String id) {
        return pelagos.runtimeDir().resolve("containers").resolve(id);
    }

    public PidFile pidFile(String id) {
        try {
            String[] f = Files.readString(stateDir(id).resolve("pid")).strip().split("\\s+");
            assertThat(f.length).as("fields of the pid file of %s", id).isBetween(4, 5);
            return new PidFile(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    f.length > 4 ? Long.parseLong(f[4]) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pelagos inspect REF}, the one document. */
    public JsonObject inspect(String ref) {
        Pelagos.Result r = pelagos.run("inspect", ref);
        assertThat(r.code()).as("inspect %s; stderr: %s", ref, r.err()).isZero();
        JsonArray a = JsonParser.parseString(r.out()).getAsJsonArray();
        assertThat(a).hasSize(1);
        return a.get(0).getAsJsonObject();
    }

    public JsonObject state(String ref) {
        return inspect(ref).getAsJsonObject("State");
    }

    public String status(String ref) {
        return state(ref).get("Status").getAsString();
    }

    /** Polls {@code condition} every 50 ms until it holds, or fails naming {@code what}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** Every cgroup directory named after the container, in any controller (v1) or the unified tree (v2). */
    public static List<Path> cgroupDirs(String id) {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.find(CGROUP_ROOT, 4, (p, a) -> a.isDirectory() && p.getFileName().toString().equals(id))) {
            s.forEach(found::add);
        } catch (IOException | UncheckedIOException e) {
            // a cgroup vanishing while we walk is fine: it is gone
        }
        return found;
    }

    /** PIDs in any of the container's cgroups. */
    public static List<String> cgroupProcs(String id) {
        List<String> l = new ArrayList<>();
        for (Path d : cgroupDirs(id)) {
            try {
                Files.readAllLines(d.resolve("cgroup.procs")).stream().filter(x -> !x.isBlank()).forEach(l::add);
            } catch (IOException e) {
                // removed meanwhile
            }
        }
        return l;
    }

    /** The container's cgroup directory in a v1 controller (e.g. "memory"), from the container's own /proc/PID/cgroup. */
    public static Path v1Cgroup(long pid, String controller) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
                String[] f = line.split(":", 3);
                if (List.of(f[1].split(",")).contains(controller)) {
                    return CGROUP_ROOT.resolve(controller).resolve(f[2].substring(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("process " + pid + " is in no " + controller + " cgroup");
    }

    /** The cgroup path of a process: its v1 pids controller's, or its unified (v2) one. */
    public static String v1OrV2CgroupOf(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
            for (String line : lines) {
                String[] f = line.split(":", 3);
                if (List.of(f[1].split(",")).contains("pids")) {
                    return f[2];
                }
            }
            return lines.stream().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A private copy of the busybox fixture for tests whose mounts create their targets in the root (as
     * Docker creates mount points in a container's layer): the shared fixture stays as it is.
     */
    public static Path busyboxRootfsCopy(Path into) throws IOException, InterruptedException {
        Path dst = into.resolve("busybox-rootfs");
        Process p = new ProcessBuilder("cp", "-a", Pelagos.busyboxRootfs().toString(), dst.toString()).inheritIO().start();
        assertThat(p.waitFor()).as("copy of the busybox rootfs").isZero();
        return dst;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts the container is gone without a trace: no state directory, no name entry for it, no
     * overlay directory, no cgroup, no host mount mentioning its id, none of the given processes alive.
     */
    public void assertGone(String id, long... pids) throws IOException {
        assertThat(stateDir(id)).as("state dir of %s", id).doesNotExist();
        assertThat(nameEntries()).as("name entries").doesNotContainValue(id);
        assertThat(pelagos.dataDir().resolve("overlay").resolve(id)).as("overlay of %s", id).doesNotExist();
        await("cgroups of " + id + " to be removed", Duration.ofSeconds(5), () -> cgroupDirs(id).isEmpty());
        assertThat(mountsMentioning(id)).as("host mounts of %s", id).isEmpty();
        for (long p : pids) {
            await("process " + p + " of " + id + " to end", Duration.ofSeconds(5), () -> !alive(p));
        }
    }

    /** names/&lt;name&gt; → id. */
    public Map<String, String> nameEntries() throws IOException {
        Map<String, String> m = new TreeMap<>();
        Path names = pelagos.runtimeDir().resolve("names");
        if (Files.isDirectory(names)) {
            try (Stream<Path> s = Files.list(names)) {
                for (Path p : s.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                    m.put(p.getFileName().toString(), Files.readString(p).strip());
                }
            }
        }
        return m;
    }

    public static List<String> mountsMentioning(String text) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(text)).toList();
    }

    /**
     * A fingerprint of everything under the runtime and data directories (path, size, content of
     * small files), to show that a refused command changed nothing.
     */
    public String fingerprint() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path root : List.of(pelagos.runtimeDir(), pelagos.dataDir())) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted().toList()) {
                    String rel = root.getFileName() + "/" + root.relativize(p);
                    // the log grows while a container runs; its being there is what counts
                    if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".log") && !p.toString().contains("/overlay/")) {
                        sb.append(rel).append(' ').append(Files.size(p) < 4096
                                ? new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1) : "size " + Files.size(p));
                    } else {
                        sb.append(rel);
                    }
                    sb.append('\n');
                }
            }
        }
        return sb.toString();
    }
}
