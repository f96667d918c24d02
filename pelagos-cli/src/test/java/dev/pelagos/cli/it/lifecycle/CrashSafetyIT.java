package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of detached containers: SIGKILL of the {@code run -d} CLI at many points of its
 * work, of the monitor, or of the container's PID 1; a truncated or corrupt state file; a recorded
 * PID reused by an unrelated process. Each time {@code ps -a} must succeed and tell the truth (listed
 * as running exactly when the container's process is alive), and {@code rm -f} must remove
 * everything: processes, cgroups (all made under a private --cgroup-parent, so even those of a
 * container whose id was never printed are seen), mounts, state and name — without ever signalling
 * an unrelated process that reuses a recorded PID. A failure means crashes leak containers or
 * resources, or pelagos kills the wrong process.
 */
class CrashSafetyIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;
    private static PrivateCgroupParent parent;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
    }

    /** One private parent per test, so that a failure in one does not show up as leftovers of the next. */
    @BeforeEach
    void newParent() {
        parent = new PrivateCgroupParent("crash");
    }

    @AfterEach
    void everythingRemoved() throws Exception {
        try {
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
            HostView.await("no cgroup left under " + parent.name(), Duration.ofSeconds(5), () -> parent.children().isEmpty());
            assertThat(Pelagos.hostMountsMentioning(pelagos.runtimeDir(), pelagos.dataDir())).isEmpty();
        } finally {
            parent.killAndRemove();
        }
    }

    private static String[] detached(String name, String... command) {
        List<String> a = new ArrayList<>(List.of("--name", name, "--cgroup-parent", parent.name(), "--rootfs",
                Pelagos.probeRootfs().toString()));
        a.addAll(List.of(command));
        return a.toArray(String[]::new);
    }

    /** ps -a --format json, by name → State. */
    private static Map<String, JsonObject> psAll() {
        Pelagos.Result r = pelagos.run("ps", "-a", "--format", "json");
        assertThat(r.code()).as("ps -a must work whatever state is on disk; stderr: %s", r.err()).isZero();
        assertThat(r.err()).doesNotContain("Exception");
        Map<String, JsonObject> m = new HashMap<>();
        for (JsonElement e : JsonParser.parseString(r.out()).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            m.put(o.get("Id").getAsString(), o.getAsJsonObject("State"));
        }
        return m;
    }

    /** Host PIDs of live probes started with {@code /probe signals SECONDS}. */
    private static List<Long> liveProbes(int seconds) throws IOException {
        List<Long> l = new ArrayList<>();
        String want = "/probe\u0000signals\u0000" + seconds + "\u0000";
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (Files.readString(p.resolve("cmdline")).equals(want) && HostView.alive(pid)) {
                        l.add(pid);
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        }
        return l;
    }

    @Test
    void killingTheCliAtAnyPointOfRunDetachedLeavesNothingRmCannotRemove() throws Exception {
        int[] delaysMs = {0, 30, 60, 90, 120, 160, 200, 250, 300, 400, 500, 700};
        for (int i = 0; i < delaysMs.length; i++) {
            Process p = startRunDetached(detached("crash" + i, "/probe", "signals", Integer.toString(600 + i)));
            Thread.sleep(delaysMs[i]);
            p.destroyForcibly(); // SIGKILL: the JVM, or the helper it became
            p.waitFor();
        }
        Thread.sleep(300);
        Map<String, JsonObject> listed = psAll();
        Map<String, String> names = host.nameEntries();
        for (int i = 0; i < delaysMs.length; i++) {
            List<Long> probes = liveProbes(600 + i);
            String id = names.get("crash" + i);
            JsonObject state = id == null ? null : listed.get(id);
            if (!probes.isEmpty()) {
                assertThat(state).as("crash%d (killed after %d ms) has a live process, so ps -a must list it", i, delaysMs[i]).isNotNull();
            }
            if (state != null) {
                boolean running = state.get("Status").getAsString().equals("running");
                assertThat(running).as("crash%d (killed after %d ms): ps says %s, live processes %s", i, delaysMs[i], state, probes)
                        .isEqualTo(!probes.isEmpty());
                if (running) {
                    assertThat(probes).containsExactly(state.get("Pid").getAsLong());
                }
            }
        }
        for (String id : listed.keySet()) {
            Pelagos.Result rm = pelagos.run("rm", "-f", id);
            assertThat(rm.code()).as("rm -f %s: %s", id, rm.err()).isZero();
        }
        for (String name : host.nameEntries().keySet()) {
            Pelagos.Result rm = pelagos.run("rm", "-f", name);
            assertThat(rm.code()).as("rm -f of the name %s, whose container ps did not list: %s", name, rm.err()).isZero();
        }
        assertThat(pelagos.run("cleanup").code()).isZero();
        for (int i = 0; i < delaysMs.length; i++) {
            int n = i;
            HostView.await("the probe of crash" + i + " to end", Duration.ofSeconds(5), () -> {
                try {
                    return liveProbes(600 + n).isEmpty();
                } catch (IOException e) {
                    return false;
                }
            });
        }
        assertThat(pelagos.leftovers()).as("rm -f and cleanup removed all state").isEmpty();
        assertThat(parent.children()).as("cgroups left by the killed runs").isEmpty();
        // every name is usable again
        String again = host.runDetached(detached("crash0", "/probe", "exit", "0"));
        assertThat(pelagos.run("wait", again).out()).isEqualTo("0\n");
    }

    @Test
    void killingTheMonitorThenRmForceRemovesEverything() throws Exception {
        String id = host.runDetached(detached("nomonitor", "/probe", "signals", "60"));
        HostView.PidFile pf = host.pidFile(id);
        ProcessHandle.of(pf.monitorPid()).orElseThrow().destroyForcibly();
        HostView.await("the monitor to die", Duration.ofSeconds(5), () -> !HostView.alive(pf.monitorPid()));
        Thread.sleep(200);
        JsonObject state = psAll().get(id);
        assertThat(state).isNotNull();
        assertThat(state.get("Status").getAsString().equals("running")).as("ps tells the truth: %s", state)
                .isEqualTo(HostView.alive(pf.pid()));
        assertThat(pelagos.run("rm", "-f", "nomonitor").code()).isZero();
        host.assertGone(id, pf.pid(), pf.monitorPid());
    }

    /** An image container (overlay on a per-container upper dir) whose monitor was killed: rm -f removes its overlay too. */
    @Test
    void anImageContainersOverlayGoesWithRmForceAfterItsMonitorWasKilled() throws Exception {
        TestImages.loadBusybox(pelagos, tmp, "crashimg:1", "");
        String id = host.runDetached("--name", "imaged", "--cgroup-parent", parent.name(), "crashimg:1", "sleep", "60");
        HostView.PidFile pf = host.pidFile(id);
        Path overlay = pelagos.dataDir().resolve("overlay").resolve(id);
        assertThat(overlay).isDirectory();
        ProcessHandle.of(pf.monitorPid()).orElseThrow().destroyForcibly();
        HostView.await("the monitor to die", Duration.ofSeconds(5), () -> !HostView.alive(pf.monitorPid()));
        assertThat(psAll().get(id).get("Status").getAsString().equals("running")).isEqualTo(HostView.alive(pf.pid()));
        assertThat(pelagos.run("rm", "-f", "imaged").code()).isZero();
        host.assertGone(id, pf.pid());
        assertThat(overlay).doesNotExist();
        assertThat(HostView.mountsMentioning("overlay")).noneMatch(l -> l.contains(pelagos.dataDir().toString()));
    }

    @Test
    void killingPid1IsRecordedAsExit137() throws Exception {
        String id = host.runDetached(detached("pid1", "/probe", "signals", "60"));
        HostView.PidFile pf = host.pidFile(id);
        List<Path> cgroups = HostView.cgroupDirs(id);
        assertThat(cgroups).as("the container's cgroups while it runs").isNotEmpty();
        ProcessHandle.of(pf.pid()).orElseThrow().destroyForcibly();
        HostView.await("the monitor to record the exit", Duration.ofSeconds(5), () -> !HostView.alive(pf.monitorPid()));
        JsonObject s = host.state("pid1");
        assertThat(s.get("Status").getAsString()).isEqualTo("exited");
        assertThat(s.get("ExitCode").getAsInt()).isEqualTo(137);
        assertThat(s.get("FinishedAt").getAsString()).doesNotStartWith("0001");
        assertThat(pelagos.run("ps", "-a", "--filter", "name=pid1").out()).contains("Exited (137)");
        HostView.await("the cgroups to be removed once the container is gone", Duration.ofSeconds(5),
                () -> HostView.cgroupDirs(id).isEmpty());
        assertThat(pelagos.run("rm", "pid1").code()).isZero();
        host.assertGone(id);
    }

    @Test
    void corruptOrTruncatedStateIsShownAndRemovable() throws Exception {
        String truncatedConfig = host.runDetached(detached("badconfig", "/probe", "signals", "61"));
        String emptyPid = host.runDetached(detached("badpid", "/probe", "signals", "62"));
        String badExit = host.runDetached(detached("badexit", "/probe", "exit", "5"));
        assertThat(pelagos.run("wait", badExit).out()).isEqualTo("5\n");
        long pid1 = host.pidFile(truncatedConfig).pid();
        long pid2 = host.pidFile(emptyPid).pid();
        Path config = host.stateDir(truncatedConfig).resolve("config.json");
        byte[] c = Files.readAllBytes(config);
        Files.write(config, java.util.Arrays.copyOf(c, c.length / 2));
        Files.writeString(host.stateDir(emptyPid).resolve("pid"), "");
        Files.writeString(host.stateDir(badExit).resolve("exit"), "garbage\u0000\u0001");
        // a half-made container: a state dir with nothing in it
        Path empty = Files.createDirectories(pelagos.runtimeDir().resolve("containers").resolve("ab".repeat(32)));

        Map<String, JsonObject> listed = psAll();
        assertThat(listed).as("every container with state on disk is listed").containsKeys(truncatedConfig, emptyPid, badExit);
        for (String id : List.of(truncatedConfig, emptyPid)) {
            assertThat(listed.get(id).get("Status").getAsString()).as("ps tells the truth about %s, whose process runs", id)
                    .isEqualTo("running");
        }
        for (String id : List.of(truncatedConfig, emptyPid, badExit, empty.getFileName().toString())) {
            Pelagos.Result inspect = pelagos.run("inspect", id);
            if (inspect.code() != 0) {
                Pelagos.assertOneErrorLine(inspect);
            }
        }
        for (String id : List.of(truncatedConfig, emptyPid, badExit)) {
            Pelagos.Result rm = pelagos.run("rm", "-f", id);
            assertThat(rm.code()).as("rm -f %s: %s", id, rm.err()).isZero();
        }
        host.assertGone(truncatedConfig, pid1);
        host.assertGone(emptyPid, pid2);
        host.assertGone(badExit);
        Pelagos.Result rm = pelagos.run("rm", "-f", empty.getFileName().toString());
        if (rm.code() != 0) {
            Pelagos.assertOneErrorLine(rm);
            assertThat(pelagos.run("cleanup").code()).isZero();
        }
        assertThat(empty).as("a half-made container is removable (rm -f or cleanup)").doesNotExist();
    }

    @Test
    void aReusedPidIsNeitherReportedRunningNorKilled() throws Exception {
        String id = host.runDetached(detached("reused", "/probe", "signals", "63"));
        HostView.PidFile pf = host.pidFile(id);
        // the monitor and the container die without recording anything (a host crash, say)...
        ProcessHandle.of(pf.monitorPid()).orElseThrow().destroyForcibly();
        ProcessHandle.of(pf.pid()).ifPresent(ProcessHandle::destroyForcibly);
        HostView.await("both to die and leave the cgroup", Duration.ofSeconds(5), () -> !HostView.alive(pf.pid())
                && !HostView.alive(pf.monitorPid()) && HostView.cgroupProcs(id).isEmpty());
        Files.deleteIfExists(host.stateDir(id).resolve("exit"));
        // ...and unrelated processes now have their PIDs (same start times recorded: only the PIDs match)
        Process strangerA = new ProcessBuilder("sleep", "60").start();
        Process strangerB = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(host.stateDir(id).resolve("pid"),
                    new HostView.PidFile(strangerA.pid(), pf.startTime(), pf.startedMillis(), strangerB.pid(), pf.monitorStartTime()).format());
            JsonObject state = psAll().get(id);
            assertThat(state).isNotNull();
            assertThat(state.get("Status").getAsString()).as("a reused PID does not make it running").isNotEqualTo("running");
            Pelagos.Result stop = pelagos.run("kill", "reused");
            assertThat(stop.code()).as("kill of a container that is not running").isNotZero();
            assertThat(pelagos.run("rm", "-f", "reused").code()).isZero();
            assertThat(strangerA.isAlive()).as("the process that reused the container's PID").isTrue();
            assertThat(strangerB.isAlive()).as("the process that reused the monitor's PID").isTrue();
            host.assertGone(id);
        } finally {
            strangerA.destroyForcibly();
            strangerB.destroyForcibly();
        }
    }

    /**
     * A container whose state directory vanished (deleted by hand, say) after its monitor and process were
     * killed: `cleanup` removes its dangling name and a leftover overlay directory at once, its empty cgroup
     * (default parent) once it is older than a start could be, and reports each.
     */
    @Test
    void cleanupRemovesWhatAVanishedContainerLeft() throws Exception {
        String id = host.runDetached("--name", "vanished", "--rootfs", Pelagos.probeRootfs().toString(), "/probe", "signals", "64");
        HostView.PidFile pf = host.pidFile(id);
        ProcessHandle.of(pf.monitorPid()).orElseThrow().destroyForcibly();
        ProcessHandle.of(pf.pid()).ifPresent(ProcessHandle::destroyForcibly);
        HostView.await("both gone and the cgroup empty", Duration.ofSeconds(5), () -> !HostView.alive(pf.pid())
                && !HostView.alive(pf.monitorPid()) && HostView.cgroupProcs(id).isEmpty());
        assertThat(HostView.cgroupDirs(id)).as("the killed monitor could not remove the cgroup").isNotEmpty();
        try (Stream<Path> s = Files.walk(host.stateDir(id))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Path overlay = Files.createDirectories(pelagos.dataDir().resolve("overlay").resolve(id).resolve("upper"));
        Pelagos.Result r = pelagos.run("cleanup");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("name vanished").contains("overlay " + id.substring(0, 12)).contains("stale resource")
                .as("a young empty cgroup may be another state root's container being started: spared").doesNotContain(id);
        assertThat(HostView.cgroupDirs(id)).isNotEmpty();
        // the crash was long ago
        for (Path d : HostView.cgroupDirs(id)) {
            Files.setLastModifiedTime(d, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(120)));
        }
        r = pelagos.run("cleanup");
        assertThat(r.out()).contains("cgroup pelagos/" + id).contains("Cleaned 1 stale resource");
        assertThat(HostView.cgroupDirs(id)).isEmpty();
        assertThat(overlay.getParent()).doesNotExist();
        assertThat(host.nameEntries()).doesNotContainKey("vanished");
        assertThat(pelagos.run("cleanup").out()).isEqualTo("No stale resources found.\n");
    }

    /** {@code pelagos run -d ARGS...} as a process of our own, to be killed. */
    private static Process startRunDetached(String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of(Pelagos.launcher().toString(), "run", "-d"));
        a.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(a).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pelagos.environment(pb.environment());
        return pb.start();
    }

}
