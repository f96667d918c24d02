package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals sent to the `pelagos run` process (which has become the container's monitor) reach the
 * container's command: SIGUSR1, SIGHUP, SIGINT and SIGTERM, with and without --init; with --init,
 * PID 1 also reaps orphaned zombies (without it, a plain PID 1 leaves them). A failure means
 * `docker stop`-style shutdown and Ctrl-C would not reach the application, or zombies pile up.
 */
class SignalsIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
    }

    @AfterAll
    static void nothingLeft() {
        if (pelagos != null) {
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static void forwardsSignals(String... extra) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("run", "--rm"));
        argv.addAll(List.of(extra));
        argv.addAll(List.of("--rootfs", Pelagos.probeRootfs().toString(), "/probe", "signals", "20"));
        try (Pelagos.Running r = pelagos.start(argv.toArray(String[]::new))) {
            assertThat(r.nextLine(15)).isEqualTo("ready");
            for (String[] sig : new String[][] {{"USR1", "10"}, {"HUP", "1"}, {"INT", "2"}}) {
                r.signal(sig[0]);
                assertThat(r.nextLine(10)).as("SIG%s reached the container", sig[0]).isEqualTo("signal " + sig[1]);
            }
            r.signal("TERM");
            assertThat(r.nextLine(10)).isEqualTo("signal 15");
            assertThat(r.waitFor(10)).as("the probe exits 0 after SIGTERM").isZero();
        }
    }

    @Test
    void signalsReachTheCommand() throws Exception {
        forwardsSignals();
    }

    @Test
    void signalsReachTheCommandThroughInit() throws Exception {
        forwardsSignals("--init");
    }

    /** The probe makes three orphans that exit at once: an init reaps them, a plain PID 1 (the probe) does not. */
    @Test
    void initReapsZombies() {
        assertThat(pelagos.probe(List.of("--init"), "zombies", "3").line()).isEqualTo("0");
        assertThat(pelagos.probe(List.of(), "zombies", "3").line()).as("control: without --init").isEqualTo("3");
    }

    /** SIGKILL of the monitor takes the container down with it (PDEATHSIG) instead of leaving it running. */
    @Test
    void killingTheMonitorKillsTheContainer() throws Exception {
        try (Pelagos.Running r = pelagos.start("run", "--rm", "--rootfs", Pelagos.probeRootfs().toString(), "/probe", "signals",
                "20")) {
            assertThat(r.nextLine(15)).isEqualTo("ready");
            List<ProcessHandle> children = r.process.toHandle().children().toList();
            assertThat(children).hasSize(1);
            ProcessHandle container = children.getFirst();
            r.signal("KILL");
            r.waitFor(10);
            container.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(container.isAlive()).isFalse();
        } finally {
            pelagos.removeState();
        }
    }
}
