package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detached lifecycle through the CLI, checked against what the host sees: {@code run -d} prints a
 * 64-hex id only once the command runs (its recorded PID is alive and already the container's
 * program); {@code ps} (-a, -q, --no-trunc, --format json, --filter) and {@code container ls} show
 * it; {@code stop} sends the stop signal and kills after {@code -t}; {@code kill -s} delivers the
 * signal; {@code wait} prints the exit code; {@code inspect} has a truthful State (Status, Pid,
 * ExitCode, StartedAt/FinishedAt), Config and Mounts; {@code start}, {@code start -a} and
 * {@code restart} run it again; names are unique and ids resolve by unique prefix. A failure means a
 * user or a script driving pelagos like docker would be told something false or left waiting.
 */
class DetachedLifecycleIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
    }

    @AfterAll
    static void nothingLeft() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static String probe() {
        return Pelagos.probeRootfs().toString();
    }

    @Test
    void runDetachedReturnsOnceTheCommandRunsAndPsShowsIt() throws Exception {
        Instant before = Instant.now();
        String id = host.runDetached("--name", "shown", "--label", "tier=web", "--rootfs", probe(), "/probe", "signals", "60");
        HostView.PidFile pf = host.pidFile(id);
        assertThat(HostView.alive(pf.pid())).as("container process alive when run -d returned").isTrue();
        assertThat(Files.readString(Path.of("/proc/" + pf.pid() + "/cmdline"))).as("already the container's program")
                .startsWith("/probe\0signals");
        assertThat(HostView.alive(pf.monitorPid())).as("monitor alive").isTrue();
        assertThat(Files.readString(Path.of("/proc/" + pf.monitorPid() + "/status"))).contains("PPid:\t1\n");

        String shortId = id.substring(0, 12);
        Pelagos.Result ps = pelagos.run("ps");
        assertThat(ps.out().lines().toList()).hasSize(2);
        assertThat(ps.out().lines().toList().get(0)).startsWith("CONTAINER ID").contains("STATUS").contains("NAMES");
        assertThat(ps.out().lines().toList().get(1)).startsWith(shortId).contains("Up ").endsWith("shown");
        assertThat(pelagos.run("ps", "-q").out()).isEqualTo(shortId + "\n");
        assertThat(pelagos.run("ps", "-q", "--no-trunc").out()).isEqualTo(id + "\n");
        assertThat(pelagos.run("container", "ls", "-q").out()).as("container ls is ps").isEqualTo(shortId + "\n");
        assertThat(pelagos.run("container", "ls").out().lines().toList().get(1)).startsWith(shortId).endsWith("shown");
        assertThat(pelagos.run("ps", "-q", "--filter", "name=shown").out()).isEqualTo(shortId + "\n");
        assertThat(pelagos.run("ps", "-q", "--filter", "name=other").out()).isEmpty();
        assertThat(pelagos.run("ps", "-q", "--filter", "label=tier=web", "--filter", "status=running").out()).isEqualTo(shortId + "\n");
        assertThat(pelagos.run("ps", "-q", "--filter", "status=exited").out()).isEmpty();

        JsonArray json = JsonParser.parseString(pelagos.run("ps", "--format", "json").out()).getAsJsonArray();
        assertThat(json).hasSize(1);
        JsonObject state = json.get(0).getAsJsonObject().getAsJsonObject("State");
        assertThat(json.get(0).getAsJsonObject().get("Id").getAsString()).isEqualTo(id);
        assertThat(state.get("Status").getAsString()).isEqualTo("running");
        assertThat(state.get("Pid").getAsLong()).isEqualTo(pf.pid());
        Instant started = Instant.parse(state.get("StartedAt").getAsString());
        assertThat(started).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(pelagos.run("logs", "shown").out()).isEqualTo("ready\n");

        assertThat(pelagos.run("stop", "shown").code()).isZero();
        assertThat(pelagos.run("ps", "-q").out()).as("ps without -a hides exited containers").isEmpty();
        assertThat(pelagos.run("ps", "-q", "-a").out()).isEqualTo(shortId + "\n");
        assertThat(pelagos.run("ps", "-a").out().lines().toList().get(1)).contains("Exited (0)");
        assertThat(pelagos.run("rm", "shown").out()).isEqualTo("shown\n");
        host.assertGone(id, pf.pid(), pf.monitorPid());
    }

    @Test
    void stopUsesTheStopSignalAndKillsAfterTheGracePeriod() throws Exception {
        // the probe exits 0 on SIGTERM: stop is quick and the exit code is the program's
        String polite = host.runDetached("--rootfs", probe(), "/probe", "signals", "60");
        HostView.await("probe ready", Duration.ofSeconds(10), () -> pelagos.run("logs", polite).out().contains("ready"));
        long t0 = System.nanoTime();
        assertThat(pelagos.run("stop", "-t", "5", polite).code()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        JsonObject s = host.state(polite);
        assertThat(s.get("Status").getAsString()).isEqualTo("exited");
        assertThat(s.get("ExitCode").getAsInt()).isZero();
        assertThat(s.get("Pid").getAsInt()).isZero();
        assertThat(Instant.parse(s.get("FinishedAt").getAsString())).isAfter(Instant.parse(s.get("StartedAt").getAsString()));
        assertThat(pelagos.run("logs", polite).out()).isEqualTo("ready\nsignal 15\n");

        // busybox sleep as PID 1 has no SIGTERM handler: the kernel ignores it, so stop must SIGKILL after -t
        String stubborn = host.runDetached("--rootfs", Pelagos.busyboxRootfs().toString(), "sleep", "60");
        t0 = System.nanoTime();
        assertThat(pelagos.run("stop", "-t", "1", stubborn).code()).isZero();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).as("waited the grace period, then killed").isBetween(Duration.ofMillis(900), Duration.ofSeconds(6));
        assertThat(host.state(stubborn).get("ExitCode").getAsInt()).isEqualTo(137);
        assertThat(pelagos.run("wait", stubborn).out()).isEqualTo("137\n");
        assertThat(pelagos.run("rm", polite, stubborn).code()).isZero();
    }

    @Test
    void killDeliversTheSignalAndWaitReportsTheExit() throws Exception {
        String id = host.runDetached("--name", "target", "--rootfs", probe(), "/probe", "signals", "60");
        HostView.await("probe ready", Duration.ofSeconds(10), () -> pelagos.run("logs", "target").out().contains("ready"));
        assertThat(pelagos.run("kill", "-s", "USR1", "target").code()).isZero();
        assertThat(pelagos.run("kill", "--signal", "SIGHUP", "target").code()).isZero();
        HostView.await("signals logged", Duration.ofSeconds(10),
                () -> pelagos.run("logs", "target").out().equals("ready\nsignal 10\nsignal 1\n"));
        assertThat(host.status("target")).isEqualTo("running");

        try (Pelagos.Running waiter = pelagos.start("wait", "target")) {
            Thread.sleep(300);
            assertThat(waiter.process.isAlive()).as("wait blocks while the container runs").isTrue();
            assertThat(pelagos.run("kill", "target").code()).as("kill defaults to SIGKILL").isZero();
            assertThat(waiter.nextLine(10)).isEqualTo("137");
            assertThat(waiter.waitFor(10)).isZero();
        }
        assertThat(host.state(id).get("ExitCode").getAsInt()).isEqualTo(137);

        String three = host.runDetached("--rootfs", probe(), "/probe", "exit", "3");
        assertThat(pelagos.run("wait", three).out()).isEqualTo("3\n");
        assertThat(pelagos.run("container", "inspect", three).out()).contains("\"ExitCode\": 3");
        assertThat(pelagos.run("container", "logs", three).code()).isZero();
        assertThat(pelagos.run("container", "stop", "target").code()).as("container stop of an exited container").isZero();
        assertThat(pelagos.run("container", "wait", three).out()).isEqualTo("3\n");
        assertThat(pelagos.run("container", "rm", "target", three).code()).isZero();
    }

    @Test
    void startAndRestartRunTheContainerAgain() throws Exception {
        String id = host.runDetached("--name", "again", "--rootfs", Pelagos.busyboxRootfs().toString(), "sh", "-c",
                "echo run; sleep 60");
        long firstPid = host.pidFile(id).pid();
        Instant firstStart = Instant.parse(host.state(id).get("StartedAt").getAsString());

        Pelagos.Result restart = pelagos.run("restart", "-t", "0", "again");
        assertThat(restart.code()).as(restart.err()).isZero();
        HostView.PidFile pf = host.pidFile(id);
        assertThat(pf.pid()).isNotEqualTo(firstPid);
        assertThat(HostView.alive(pf.pid())).isTrue();
        assertThat(HostView.alive(firstPid)).isFalse();
        JsonObject s = host.state("again");
        assertThat(s.get("Status").getAsString()).isEqualTo("running");
        assertThat(Instant.parse(s.get("StartedAt").getAsString())).isAfter(firstStart);
        HostView.await("second run logged", Duration.ofSeconds(10), () -> pelagos.run("logs", "again").out().equals("run\nrun\n"));

        assertThat(pelagos.run("kill", "again").code()).isZero();
        assertThat(pelagos.run("wait", "again").out()).isEqualTo("137\n");
        Pelagos.Result start = pelagos.run("start", "again");
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(host.status("again")).isEqualTo("running");
        assertThat(HostView.alive(host.pidFile(id).pid())).isTrue();
        long lastPid = host.pidFile(id).pid();
        assertThat(pelagos.run("start", "again").code()).as("start of a running container is a no-op").isZero();
        assertThat(host.pidFile(id).pid()).isEqualTo(lastPid);
        assertThat(pelagos.run("rm", "-f", "again").code()).isZero();
        host.assertGone(id, lastPid);
    }

    @Test
    void startAttachedPrintsTheOutputAndExitsWithTheCode() throws Exception {
        String id = host.runDetached("--rootfs", Pelagos.busyboxRootfs().toString(), "sh", "-c", "echo hello; exit 4");
        assertThat(pelagos.run("wait", id).out()).isEqualTo("4\n");
        Pelagos.Result attached = pelagos.run("start", "-a", id);
        assertThat(attached.code()).isEqualTo(4);
        assertThat(attached.out()).as("only this run's output").isEqualTo("hello\n");
        assertThat(pelagos.run("logs", id).out()).isEqualTo("hello\nhello\n");
        assertThat(pelagos.run("rm", id).code()).isZero();
    }

    @Test
    void detachedWithRmGoesAwayByItselfAndFailedStartsLeaveNothing() throws Exception {
        String id = host.runDetached("--rm", "--name", "ephemeral", "--rootfs", probe(), "/probe", "exit", "3");
        HostView.await("the --rm container to remove itself", Duration.ofSeconds(10), () -> !Files.exists(host.stateDir(id)));
        host.assertGone(id);
        assertThat(pelagos.run("inspect", "ephemeral").code()).isNotZero();

        for (String[] bad : new String[][] {{"127", "/nonexistent"}, {"126", "/notexec"}}) {
            Pelagos.Result r = pelagos.run("run", "-d", "--name", "never", "--rootfs", probe(), bad[1]);
            assertThat(r.code()).as("run -d %s: %s", bad[1], r.err()).isEqualTo(Integer.parseInt(bad[0]));
            Pelagos.assertOneErrorLine(r);
            assertThat(r.out()).as("no id for a container that never ran").isEmpty();
            assertThat(host.nameEntries()).doesNotContainKey("never");
        }
        assertThat(pelagos.leftovers()).isEmpty();
    }

    /** A foreground container without --rm is kept like a detached one: its output logged, startable again. */
    @Test
    void aForegroundContainerKeepsItsLogAndStartsAgain() {
        Pelagos.Result fg = pelagos.run("run", "--name", "fg", "--rootfs", probe(), "/probe", "echo", "hi", "there");
        assertThat(fg.out()).isEqualTo("hi there\n");
        assertThat(pelagos.run("logs", "fg").out()).isEqualTo("hi there\n");
        assertThat(pelagos.run("ps", "-a", "--filter", "name=fg").out()).contains("Exited (0)");
        Pelagos.Result again = pelagos.run("start", "-a", "fg");
        assertThat(again.code()).isZero();
        assertThat(again.out()).isEqualTo("hi there\n");
        assertThat(pelagos.run("logs", "fg").out()).isEqualTo("hi there\nhi there\n");
        assertThat(pelagos.run("rm", "fg").code()).isZero();
    }

    /**
     * {@code start -a} prints all of a short container's output, every time: it used to stop
     * following when it looked before the new start had recorded its pid (the container was
     * "created", not yet "running") and lose what came after (seen on a loaded CI machine).
     */
    @Test
    void startAttachPrintsEverythingOfAShortContainer() {
        Pelagos.Result first = pelagos.run("run", "--name", "short", "--rootfs", probe(), "/probe", "echo", "one");
        assertThat(first.out()).isEqualTo("one\n");
        for (int i = 0; i < 8; i++) {
            Pelagos.Result again = pelagos.run("start", "-a", "short");
            assertThat(again.out()).as("round %d: %s", i, again.err()).isEqualTo("one\n");
        }
        assertThat(pelagos.run("rm", "short").code()).isZero();
    }

    @Test
    void namesAreUniqueAndIdsResolveByUniquePrefix() throws Exception {
        Map<Character, String> byFirstHex = new HashMap<>();
        String first = null;
        String second = null;
        // pigeonhole: at most 17 containers until two ids share their first hex digit
        for (int i = 0; i < 17 && second == null; i++) {
            String id = host.runDetached("--name", "p" + i, "--rootfs", probe(), "/probe", "exit", "0");
            String earlier = byFirstHex.putIfAbsent(id.charAt(0), id);
            if (earlier != null) {
                first = earlier;
                second = id;
            }
        }
        assertThat(second).isNotNull();
        int common = 0;
        while (first.charAt(common) == second.charAt(common)) {
            common++;
        }
        Pelagos.Result ambiguous = pelagos.run("inspect", first.substring(0, common));
        assertThat(ambiguous.code()).isNotZero();
        Pelagos.assertOneErrorLine(ambiguous);
        assertThat(ambiguous.errLines().getFirst()).contains(first.substring(0, common));
        assertThat(host.inspect(first.substring(0, common + 1)).get("Id").getAsString()).isEqualTo(first);
        assertThat(host.inspect(second.substring(0, common + 1)).get("Id").getAsString()).isEqualTo(second);
        assertThat(host.inspect(first).get("Id").getAsString()).isEqualTo(first);

        Pelagos.Result taken = pelagos.run("run", "-d", "--name", "p0", "--rootfs", probe(), "/probe", "exit", "0");
        assertThat(taken.code()).isEqualTo(125);
        Pelagos.assertOneErrorLine(taken);
        assertThat(taken.errLines().getFirst()).contains("'p0' is already in use");
        List<String> all = pelagos.run("ps", "-a", "-q", "--no-trunc").out().lines().toList();
        assertThat(all).doesNotHaveDuplicates().hasSameSizeAs(host.nameEntries().keySet());
        assertThat(pelagos.run(concat("rm", all)).code()).isZero();
        assertThat(pelagos.leftovers()).isEmpty();
    }

    @Test
    void inspectShowsConfigAndMounts() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        String id = host.runDetached("--name", "described", "-e", "GREETING=hi", "-w", "/tmp", "--label", "a=b",
                "-v", "insvol:/vol", "--bind-ro", shared + ":/shared", "--hostname", "box",
                "--rootfs", Pelagos.probeRootfsCopy(tmp).toString(), "/probe", "sleep", "30");
        JsonObject doc = host.inspect("described");
        assertThat(doc.get("Id").getAsString()).isEqualTo(id);
        assertThat(doc.get("Name").getAsString()).isEqualTo("/described");
        assertThat(doc.get("Path").getAsString()).isEqualTo("/probe");
        assertThat(doc.getAsJsonArray("Args").toString()).isEqualTo("[\"sleep\",\"30\"]");
        JsonObject s = doc.getAsJsonObject("State");
        assertThat(s.get("Status").getAsString()).isEqualTo("running");
        assertThat(s.get("Running").getAsBoolean()).isTrue();
        assertThat(s.get("OOMKilled").getAsBoolean()).isFalse();
        assertThat(s.get("Pid").getAsLong()).isEqualTo(host.pidFile(id).pid());
        assertThat(s.get("FinishedAt").getAsString()).startsWith("0001-01-01");
        JsonObject config = doc.getAsJsonObject("Config");
        assertThat(config.getAsJsonArray("Env").toString()).contains("\"GREETING=hi\"");
        assertThat(config.get("WorkingDir").getAsString()).isEqualTo("/tmp");
        assertThat(config.get("Hostname").getAsString()).isEqualTo("box");
        assertThat(config.getAsJsonObject("Labels").get("a").getAsString()).isEqualTo("b");
        String mounts = doc.getAsJsonArray("Mounts").toString();
        assertThat(mounts).contains("\"Type\":\"volume\"").contains("\"Name\":\"insvol\"").contains("\"Destination\":\"/vol\"");
        assertThat(mounts).contains("\"Source\":\"" + shared + "\"").contains("\"Destination\":\"/shared\",\"RW\":false");
        assertThat(doc.get("LogPath").getAsString()).isEqualTo(host.stateDir(id).resolve("container.log").toString());
        assertThat(pelagos.run("rm", "-f", "described").code()).isZero();
        assertThat(pelagos.run("volume", "rm", "insvol").code()).isZero();
    }

    private static List<String> concat(String verb, List<String> rest) {
        List<String> l = new java.util.ArrayList<>(List.of(verb));
        l.addAll(rest);
        return l;
    }
}
