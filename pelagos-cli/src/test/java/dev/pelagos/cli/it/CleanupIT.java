package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container leaves on the host: with --rm nothing (no state directory, no name entry, no
 * mount), whatever its exit; without --rm its state (config.json, pid, exit) and its name, which a
 * second `run --name` then cannot take. A failure means runs leak state or mounts on the host, or
 * names can be taken twice.
 */
class CleanupIT {
    @TempDir
    Path tmp;
    private Pelagos pelagos;

    @BeforeEach
    void setUp() {
        pelagos = new Pelagos(tmp);
    }

    @AfterEach
    void clean() throws Exception {
        pelagos.removeState();
    }

    @Test
    void rmLeavesNothing() throws Exception {
        Path rootfs = Pelagos.probeRootfsCopy(tmp);
        List<String> before = Pelagos.hostMountsMentioning(rootfs, tmp);
        for (String[] cmd : new String[][] {{"/probe", "exit", "0"}, {"/probe", "exit", "3"}, {"/no/such"}, {"/notexec"}}) {
            Pelagos.Result r = pelagos.runIn(rootfs, List.of("--name", "gone", "--tmpfs", "/scratch", "-v", "vol:/vol"), cmd);
            assertThat(r.code()).as("%s", String.join(" ", cmd)).isIn(0, 3, 126, 127);
            assertThat(pelagos.leftovers()).as("after %s", String.join(" ", cmd)).isEmpty();
        }
        assertThat(Pelagos.hostMountsMentioning(rootfs, tmp)).isEqualTo(before);
        assertThat(before).isEmpty();
    }

    @Test
    void withoutRmTheStateStaysAndTheNameIsTaken() throws Exception {
        Pelagos.Result r = pelagos.run("run", "--name", "keep", "--rootfs", Pelagos.probeRootfs().toString(), "/probe", "exit", "42");
        assertThat(r.code()).isEqualTo(42);
        Path names = pelagos.runtimeDir().resolve("names");
        String id = Files.readString(names.resolve("keep")).trim();
        assertThat(id).matches("[0-9a-f]{64}");
        Path state = pelagos.runtimeDir().resolve("containers").resolve(id);
        assertThat(state.resolve("config.json")).exists();
        assertThat(state.resolve("pid")).exists();
        assertThat(Files.readString(state.resolve("exit"))).contains("exit_code=42").contains("signal=0");
        assertThat(Files.readString(state.resolve("config.json"))).contains("\"keep\"");

        Pelagos.Result again = pelagos.run("run", "--name", "keep", "--rootfs", Pelagos.probeRootfs().toString(), "/probe");
        assertThat(again.code()).isEqualTo(125);
        Pelagos.assertOneErrorLine(again);
        assertThat(again.errLines().getFirst()).isEqualTo(
                "pelagos: error: container name 'keep' is already in use by container " + id.substring(0, 12));
        try (Stream<Path> s = Files.list(pelagos.runtimeDir().resolve("containers"))) {
            assertThat(s.toList()).containsExactly(state);
        }
        assertThat(Files.readString(names.resolve("keep")).trim()).isEqualTo(id);
    }

    /** --rm also cleans up after a container killed from the host. */
    @Test
    void rmCleansUpAfterAKilledContainer() throws Exception {
        try (Pelagos.Running r = pelagos.start("run", "--rm", "--name", "killed", "--rootfs", Pelagos.probeRootfs().toString(),
                "/probe", "signals", "20")) {
            assertThat(r.nextLine(15)).isEqualTo("ready");
            List<ProcessHandle> children = r.process.toHandle().children().toList();
            assertThat(children).hasSize(1);
            assertThat(children.getFirst().destroyForcibly()).isTrue();
            assertThat(r.waitFor(10)).isEqualTo(137);
        }
        assertThat(pelagos.leftovers()).isEmpty();
    }

    /** A start that fails in the helper (bad sysctl) without --rm must not leave a half-made container behind. */
    @Test
    void failedStartWithoutRmLeavesNothing() throws Exception {
        Pelagos.Result r = pelagos.run("run", "--name", "half", "--sysctl", "net.core.no_such_knob=1", "--rootfs",
                Pelagos.probeRootfs().toString(), "/probe");
        assertThat(r.code()).isEqualTo(125);
        assertThat(pelagos.leftovers()).isEmpty();
    }

    @Test
    void stateIsPrivate() throws Exception {
        try (Pelagos.Running r = pelagos.start("run", "--name", "priv", "--rootfs", Pelagos.probeRootfs().toString(), "/probe",
                "signals", "10")) {
            assertThat(r.nextLine(15)).isEqualTo("ready");
            Path containers = pelagos.runtimeDir().resolve("containers");
            try (Stream<Path> s = Files.list(containers)) {
                Path state = s.findFirst().orElseThrow();
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
                        .isEqualTo("rwx--x--x");
            }
            r.signal("TERM");
            r.waitFor(10);
        }
    }
}
