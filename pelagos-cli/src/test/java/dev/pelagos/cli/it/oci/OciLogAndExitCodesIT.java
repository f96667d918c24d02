package dev.pelagos.cli.it.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI verbs as containerd's shim and podman see them: runc's exit codes for a failed start (1)
 * and a failed exec (255, told apart from the process's own codes), and the global
 * {@code --log}/{@code --log-format}/{@code --debug} (runc's line layouts; the helper's steps too).
 */
class OciLogAndExitCodesIT {
    @TempDir
    Path tmp;
    private OciBundle bundle;

    @BeforeEach
    void bundle() throws Exception {
        OciBundle.assumeUsable();
        bundle = new OciBundle(tmp);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        for (String id : ids()) {
            bundle.pelagos("delete", "--force", id);
        }
        assertThat(ids()).isEmpty();
    }

    private List<String> ids() throws IOException {
        if (!Files.isDirectory(bundle.stateRoot())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(bundle.stateRoot())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The spec's process becomes {@code args} (no terminal) over the bundle's busybox root. */
    private void process(String... args) {
        bundle.args(args);
    }

    private OciBundle.Result oci(String... argv) throws Exception {
        return bundle.pelagos(argv);
    }

    @Test
    void aFailedRunExitsWithOneAndLeavesNoState() throws Exception {
        process("/does-not-exist");
        OciBundle.Result r = oci("run", "bad-run");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("/does-not-exist");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aFailedExecExitsWith255WhileTheProcessesOwnCodesPassThrough() throws Exception {
        process("sleep", "30");
        assertThat(oci("run", "-d", "ex").code()).isZero();
        assertThat(oci("exec", "ex", "sh", "-c", "exit 3").code()).isEqualTo(3);
        assertThat(oci("exec", "ex", "sh", "-c", "exit 127").code()).isEqualTo(127);
        assertThat(oci("exec", "ex", "/does-not-exist").code()).isEqualTo(255);
        assertThat(oci("exec", "--pid-file", tmp.resolve("no/such/dir/pid").toString(), "ex", "true").code()).isEqualTo(255);
        assertThat(oci("exec", "--cwd", "/does-not-exist", "ex", "true").code()).isEqualTo(255);
    }

    @Test
    void debugWithAJsonLogFileLogsEveryStepThereAndNothingOnTheTerminal() throws Exception {
        process("/bin/echo", "hello");
        Path log = tmp.resolve("log.json");
        OciBundle.Result r = oci("--log", log.toString(), "--log-format", "json", "--debug", "run", "dbg");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(r.err()).doesNotContain("level");
        List<JsonObject> lines = Files.readAllLines(log).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.get("level").getAsString()).isEqualTo("debug");
            assertThat(l.get("time").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        });
        List<String> msgs = lines.stream().map(l -> l.get("msg").getAsString()).toList();
        // the Java side (bundle read), then the helper (clone, cgroups, the command runs)
        assertThat(msgs).anyMatch(m -> m.contains("config.json read and validated"));
        assertThat(msgs).anyMatch(m -> m.startsWith("launch: container process") && m.contains("cloned"));
        assertThat(msgs).anyMatch(m -> m.contains("runs the command"));
    }

    /** Tools grep the debug log for runc's stage names; ours name the same moments of the helper. */
    @Test
    void debugNamesTheHelpersStagesAsRuncDoes() throws Exception {
        process("sleep", "30");
        OciBundle.Result run = oci("--debug", "run", "-d", "stages");
        assertThat(run.code()).isZero();
        assertThat(run.err()).contains("nsexec container setup").contains("child process in init()")
                .contains("init: closing the pipe to signal completion");
        OciBundle.Result exec = oci("--debug", "exec", "stages", "true");
        assertThat(exec.code()).isZero();
        assertThat(exec.err()).contains("nsexec container setup").contains("child process in init()")
                .contains("setns_init: about to exec");
    }

    /** checkpoint and restore check what they are given before CRIU runs, and a refused restore makes nothing. */
    @Test
    void checkpointAndRestoreRefuseBadInputWithOneLine() throws Exception {
        OciBundle.Result missing = oci("checkpoint", "--image-path", tmp.resolve("img").toString(), "nope");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("pelagos: error: container 'nope' does not exist");
        process("sleep", "30");
        assertThat(oci("create", "made").code()).isZero();
        OciBundle.Result created = oci("checkpoint", "--image-path", tmp.resolve("img").toString(), "made");
        assertThat(created.code()).isEqualTo(1);
        assertThat(created.err()).contains("is created; only a running one can be checkpointed");
        OciBundle.Result mode = oci("checkpoint", "--manage-cgroups-mode", "bogus", "made");
        assertThat(mode.code()).isEqualTo(1);
        assertThat(mode.err()).startsWith("pelagos: error: invalid --manage-cgroups-mode 'bogus'");
        Files.createDirectories(tmp.resolve("empty"));
        OciBundle.Result noImage = oci("restore", "-d", "--image-path", tmp.resolve("empty").toString(), "again");
        assertThat(noImage.code()).isEqualTo(1);
        assertThat(noImage.err()).startsWith("pelagos: error: no pelagos checkpoint in " + tmp.resolve("empty"));
        assertThat(ids()).containsExactly("made");
    }

    @Test
    void debugWithoutALogFileWritesTextLinesToStderr() throws Exception {
        process("/bin/true");
        OciBundle.Result r = oci("--debug", "run", "dbg-text");
        assertThat(r.code()).isZero();
        assertThat(r.err().lines().toList()).isNotEmpty().allMatch(l -> l.matches("time=\"[^\"]+\" level=debug msg=\".*\""));
    }

    /** runc's rule: proc and sysfs go on ordinary directories; a symlink would carry them (and their masks) elsewhere. */
    @Test
    void aRootfsWhoseProcIsASymlinkIsRefusedWithOne() throws Exception {
        process("true");
        Path rootfs = bundle.rootfs;
        Files.delete(rootfs.resolve("proc"));
        Files.createSymbolicLink(rootfs.resolve("proc"), Path.of("/elsewhere"));
        OciBundle.Result r = oci("run", "proc-link");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("/proc").contains("proc must be mounted on ordinary directory");
        assertThat(rootfs.resolve("elsewhere")).doesNotExist();
        assertThat(ids()).isEmpty();
    }

    /** containerd's shim and podman hand the container its stdio as pipes: stdin must reach the process, as with runc. */
    @Test
    void runHandsTheCallersStdinToTheProcess() throws Exception {
        process("cat");
        Path input = tmp.resolve("input");
        Files.writeString(input, "piped\n");
        OciBundle.Result r = bundle.pelagosWithInput(input, "run", "stdin-run");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("piped\n");
    }

    @Test
    void withoutDebugTheLogGetsOnlyTheError() throws Exception {
        process("/does-not-exist");
        Path log = tmp.resolve("log.txt");
        OciBundle.Result r = oci("--log", log.toString(), "run", "quiet");
        assertThat(r.code()).isEqualTo(1);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).contains("level=error").contains("/does-not-exist");
    }
}
