package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pelagos run` exits with the container's code, Docker's way: the command's own status, 128+N
 * when it dies of signal N, 125 when the runtime fails, 126 when the command cannot be executed,
 * 127 when it is not found. A failure means scripts and orchestrators (which branch on these codes)
 * would misread what happened to the container.
 */
class ExitCodesIT {
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

    @Test
    void theCommandsOwnExitCode() {
        assertThat(pelagos.probe(List.of(), "exit", "0").code()).isZero();
        assertThat(pelagos.probe(List.of(), "exit", "42").code()).isEqualTo(42);
        assertThat(pelagos.probe(List.of(), "exit", "255").code()).isEqualTo(255);
    }

    /**
     * Killed by a signal: 128+N. The probe cannot kill itself as PID 1 (the kernel ignores SIGKILL
     * sent to a namespace's init from inside), so it runs under --init, as PID 2.
     */
    @Test
    void deathBySignalIs128PlusTheSignal() {
        assertThat(pelagos.probe(List.of("--init"), "kill", "9").code()).isEqualTo(137);
        assertThat(pelagos.probe(List.of("--init"), "kill", "15").code()).isEqualTo(143);
        // a shell's child killed by a signal: the shell (PID 1) reports it as 128+N too (the `exit` keeps
        // busybox from exec'ing the probe as PID 1)
        Pelagos.Result sh = pelagos.runIn(Pelagos.busyboxRootfs(), List.of(), "/bin/sh", "-c", "/probe kill 9; exit $?");
        assertThat(sh.code()).isEqualTo(137);
    }

    /** SIGKILL from the host to the container's PID 1 ends the container with 137, recorded in its state. */
    @Test
    void killedFromTheHostIs137AndRecorded() throws Exception {
        try (Pelagos.Running r = pelagos.start("run", "--name", "victim", "--rootfs", Pelagos.probeRootfs().toString(), "/probe",
                "sleep", "30")) {
            Path state = awaitStateDir();
            Path pidFile = state.resolve("pid");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.exists(pidFile) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim().split("\\s+")[0]);
            assertThat(ProcessHandle.of(pid)).isPresent();
            assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
            assertThat(r.waitFor(10)).isEqualTo(137);
            assertThat(Files.readString(state.resolve("exit"))).contains("exit_code=137").contains("signal=9");
        } finally {
            pelagos.removeState();
        }
    }

    @Test
    void notExecutableIs126() {
        Pelagos.Result r = pelagos.probe(List.of(), "unused");
        assertThat(r.code()).as("probe with an unknown sub-command").isEqualTo(2);
        Pelagos.Result notExec = pelagos.runIn(Pelagos.probeRootfs(), List.of(), "/notexec");
        assertThat(notExec.code()).isEqualTo(126);
        Pelagos.assertOneErrorLine(notExec);
        assertThat(notExec.errLines().getFirst()).contains("/notexec");
        assertThat(pelagos.runIn(Pelagos.probeRootfs(), List.of(), "/etc").code()).as("a directory").isEqualTo(126);
    }

    @Test
    void notFoundIs127() {
        Pelagos.Result abs = pelagos.runIn(Pelagos.probeRootfs(), List.of(), "/no/such/program");
        assertThat(abs.code()).isEqualTo(127);
        Pelagos.assertOneErrorLine(abs);
        Pelagos.Result path = pelagos.runIn(Pelagos.probeRootfs(), List.of(), "no-such-program");
        assertThat(path.code()).isEqualTo(127);
        Pelagos.assertOneErrorLine(path);
        assertThat(path.errLines().getFirst()).contains("no-such-program").contains("not found");
        // the default command of a rootfs without a shell
        assertThat(pelagos.run("run", "--rm", "--rootfs", Pelagos.probeRootfs().toString()).code()).isEqualTo(127);
    }

    @Test
    void runtimeFailuresAre125() {
        Pelagos.Result missing = pelagos.run("run", "--rm", "--rootfs", tmp.resolve("nope").toString(), "/probe");
        assertThat(missing.code()).isEqualTo(125);
        Pelagos.assertOneErrorLine(missing);
        // a failure inside the helper (a sysctl this kernel does not have) is a runtime error too
        Pelagos.Result helper = pelagos.probe(List.of("--sysctl", "net.core.no_such_knob=1"));
        assertThat(helper.code()).isEqualTo(125);
        Pelagos.assertOneErrorLine(helper);
        assertThat(helper.errLines().getFirst()).contains("net.core.no_such_knob");
    }

    private Path awaitStateDir() throws Exception {
        Path containers = pelagos.runtimeDir().resolve("containers");
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.isDirectory(containers)) {
                try (Stream<Path> s = Files.list(containers)) {
                    List<Path> l = s.toList();
                    if (!l.isEmpty()) {
                        return l.getFirst();
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no state directory appeared");
    }
}
