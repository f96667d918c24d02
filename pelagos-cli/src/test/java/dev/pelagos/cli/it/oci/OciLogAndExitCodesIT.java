package dev.pelagos.cli.it.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
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
    private Pelagos pelagos;
    private Path root;
    private Path bundle;

    @BeforeEach
    void bundle() throws IOException {
        pelagos = new Pelagos(tmp);
        root = tmp.resolve("oci-root");
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle);
        assertThat(pelagos.run("spec", "--bundle", bundle.toString()).code()).isZero();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        for (String id : ids()) {
            pelagos.run("--root", root.toString(), "delete", "--force", id);
        }
        assertThat(ids()).isEmpty();
    }

    private List<String> ids() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The spec's process becomes {@code args}, without a terminal, over the busybox fixture. */
    private void process(String... args) throws IOException {
        Path config = bundle.resolve("config.json");
        JsonObject c = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        JsonObject p = c.getAsJsonObject("process");
        p.addProperty("terminal", false);
        JsonArray a = new JsonArray();
        for (String s : args) {
            a.add(s);
        }
        p.add("args", a);
        c.getAsJsonObject("root").addProperty("path", Pelagos.busyboxRootfs().toString());
        Files.writeString(config, c.toString());
    }

    private Pelagos.Result oci(String... argv) {
        List<String> l = new java.util.ArrayList<>(List.of("--root", root.toString()));
        l.addAll(List.of(argv));
        return pelagos.run(l);
    }

    @Test
    void aFailedRunExitsWithOneAndLeavesNoState() throws IOException {
        process("/does-not-exist");
        Pelagos.Result r = oci("run", "--bundle", bundle.toString(), "bad-run");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("/does-not-exist");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aFailedExecExitsWith255WhileTheProcessesOwnCodesPassThrough() throws IOException {
        process("sleep", "30");
        assertThat(oci("run", "-d", "--bundle", bundle.toString(), "ex").code()).isZero();
        assertThat(oci("exec", "ex", "sh", "-c", "exit 3").code()).isEqualTo(3);
        assertThat(oci("exec", "ex", "sh", "-c", "exit 127").code()).isEqualTo(127);
        assertThat(oci("exec", "ex", "/does-not-exist").code()).isEqualTo(255);
        assertThat(oci("exec", "--pid-file", tmp.resolve("no/such/dir/pid").toString(), "ex", "true").code()).isEqualTo(255);
        assertThat(oci("exec", "--cwd", "/does-not-exist", "ex", "true").code()).isEqualTo(255);
    }

    @Test
    void debugWithAJsonLogFileLogsEveryStepThereAndNothingOnTheTerminal() throws IOException {
        process("/bin/echo", "hello");
        Path log = tmp.resolve("log.json");
        Pelagos.Result r = oci("--log", log.toString(), "--log-format", "json", "--debug", "run", "--bundle", bundle.toString(), "dbg");
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

    @Test
    void debugWithoutALogFileWritesTextLinesToStderr() throws IOException {
        process("/bin/true");
        Pelagos.Result r = oci("--debug", "run", "--bundle", bundle.toString(), "dbg-text");
        assertThat(r.code()).isZero();
        assertThat(r.errLines()).isNotEmpty().allMatch(l -> l.matches("time=\"[^\"]+\" level=debug msg=\".*\""));
    }

    /** runc's rule: proc and sysfs go on ordinary directories; a symlink would carry them (and their masks) elsewhere. */
    @Test
    void aRootfsWhoseProcIsASymlinkIsRefusedWithOne() throws Exception {
        process("/probe", "exit", "0");
        Path rootfs = Pelagos.probeRootfsCopy(tmp);
        Path proc = rootfs.resolve("proc");
        if (Files.isDirectory(proc)) {
            Files.delete(proc);
        }
        Files.createSymbolicLink(proc, Path.of("/elsewhere"));
        Path config = bundle.resolve("config.json");
        JsonObject c = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        c.getAsJsonObject("root").addProperty("path", rootfs.toString());
        Files.writeString(config, c.toString());
        Pelagos.Result r = oci("run", "--bundle", bundle.toString(), "proc-link");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("/proc").contains("must be mounted on an ordinary directory");
        assertThat(rootfs.resolve("elsewhere")).doesNotExist();
        assertThat(ids()).isEmpty();
    }

    /** containerd's shim and podman hand the container its stdio as pipes: stdin must reach the process, as with runc. */
    @Test
    void runHandsTheCallersStdinToTheProcess() throws IOException {
        process("cat");
        Pelagos.Result r = pelagos.exec(List.of("sh", "-c", "echo piped | \"$0\" --root \"$1\" run --bundle \"$2\" stdin-run",
                Pelagos.launcher().toString(), root.toString(), bundle.toString()));
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("piped\n");
    }

    @Test
    void withoutDebugTheLogGetsOnlyTheError() throws IOException {
        process("/does-not-exist");
        Path log = tmp.resolve("log.txt");
        Pelagos.Result r = oci("--log", log.toString(), "run", "--bundle", bundle.toString(), "quiet");
        assertThat(r.code()).isEqualTo(1);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).contains("level=error").contains("/does-not-exist");
    }
}
