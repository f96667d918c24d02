package dev.pelagos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.base.PelagosPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Main.run as a function: exit codes and the one error format ({@code pelagos: error: ...} and an
 * optional {@code hint: ...}). Only inputs that fail before a container would be created are used,
 * so nothing here needs root or an installed helper.
 */
class MainTest {
    @TempDir
    Path tmp;
    private Path rootfs;
    private PelagosPaths paths;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        paths = new PelagosPaths(tmp.resolve("data"), tmp.resolve("run"));
    }

    private int run(String... argv) {
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), paths);
        return Main.run(List.of(argv), cli);
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void versionPrintsAndSucceeds() {
        assertThat(run("--version")).isZero();
        // runc's three lines, which Docker's and Podman's "info" parse
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("pelagos version \\d+\\.\\d+\\.\\d+\ncommit: (?:[0-9a-f]{40}|unknown)\nspec: 1\\.\\d+\\.\\d+\n");
    }

    @Test
    void noArgumentsListsCommandsAndIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: pelagos").contains("run");
        assertThat(run("--help")).isZero();
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(errLines()).containsExactly("pelagos: error: unknown command 'frobnicate'", "hint: see 'pelagos --help'");
    }

    @Test
    void helpForAnUnknownCommandSaysThereIsNoSuchTopic() {
        assertThat(run("frobnicate", "-h")).isEqualTo(2);
        assertThat(errLines().getFirst()).isEqualTo("pelagos: error: No help topic for 'frobnicate'");
    }

    @Test
    void calledAsRuncHelpTakesRuncsLayoutAndListsTheOciVerbs() {
        String before = System.getProperty("pelagos.program");
        System.setProperty("pelagos.program", "runc");
        try {
            assertThat(run("-h")).isZero();
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines.get(0)).isEqualTo("NAME:");
            assertThat(lines.get(1)).startsWith("   runc - Open Container Initiative runtime");
            assertThat(lines).anyMatch(l -> l.startsWith("   checkpoint ")).anyMatch(l -> l.startsWith("   restore "))
                    .noneMatch(l -> l.contains("image"));
            out.reset();
            // exec is the OCI verb here (Docker's takes -e/--env and -w, the OCI one --process and --cwd)
            assertThat(run("exec", "-h")).isZero();
            List<String> exec = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(exec.get(0)).isEqualTo("NAME:");
            assertThat(exec.get(1)).startsWith("   runc exec - ");
            assertThat(exec).contains("OPTIONS:").anyMatch(l -> l.startsWith("   --process"));
        } finally {
            if (before == null) {
                System.clearProperty("pelagos.program");
            } else {
                System.setProperty("pelagos.program", before);
            }
        }
    }

    @Test
    void restoreInTheForegroundIsAUsageError() {
        assertThat(run("restore", "--image-path", tmp.toString(), "c1")).isEqualTo(2);
        assertThat(errLines().getFirst()).isEqualTo("pelagos: error: pelagos restore needs --detach (-d): a restore in the foreground is not supported");
    }

    @Test
    void unknownGlobalOptionIsAUsageError() {
        assertThat(run("--bogus", "run")).isEqualTo(2);
        assertThat(errLines().getFirst()).isEqualTo("pelagos: error: unknown global option '--bogus'");
    }

    @Test
    void unknownRunOptionIsAUsageErrorWithExitCode2() {
        assertThat(run("run", "--bogus", "--rootfs", rootfs.toString())).isEqualTo(2);
        assertThat(errLines()).containsExactly("pelagos: error: unknown option '--bogus' for 'pelagos run'",
                "hint: see 'pelagos run --help'");
        assertThat(out.size()).isZero();
    }

    @Test
    void missingOptionValueIsAUsageError() {
        assertThat(run("run", "--rootfs")).isEqualTo(2);
        assertThat(errLines().getFirst()).isEqualTo("pelagos: error: option '--rootfs' needs a value");
    }

    @Test
    void runWithoutImageOrRootfsIsAUsageError() {
        assertThat(run("run")).isEqualTo(2);
        assertThat(errLines().getFirst()).isEqualTo("pelagos: error: 'pelagos run' needs an image");
        assertThat(errLines()).hasSize(2);
    }

    @Test
    void runHelpPrintsTheOptionTable() {
        assertThat(run("run", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--cap-add").contains("--rootfs").contains("--read-only");
    }

    @Test
    void dashHIsHelpUnlessTheVerbMeansSomethingElseByIt() {
        // as with Docker and runc: `rm -h` is help, `run -h NAME` is the host name
        assertThat(run("rm", "-h")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: pelagos rm");
        out.reset();
        assertThat(run("run", "-h")).isEqualTo(2);
        assertThat(errLines().getFirst()).contains("'-h'").contains("needs a value");
    }

    @Test
    void helpAfterAnOptionValueStillPrintsHelp() {
        // Docker prints help for `docker run --name x --help`; the value "x" is not the image
        assertThat(run("run", "--name", "web", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--cap-add");
    }

    @Test
    void helpAfterTheImageBelongsToTheContainer() {
        // `run --rootfs DIR /bin/ls --help`: --help is the container's argument; it must not print our help
        assertThat(run("run", "--rootfs", tmp.resolve("missing").toString(), "/bin/ls", "--help")).isEqualTo(125);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("--cap-add");
    }

    @Test
    void runFailureIsExitCode125WithMessageAndHint() {
        String missing = tmp.resolve("no-such-rootfs").toString();
        assertThat(run("run", "--rootfs", missing, "/probe")).isEqualTo(125);
        assertThat(errLines()).containsExactly("pelagos: error: rootfs '" + missing + "' not found",
                "hint: give a directory, or import one first: pelagos rootfs import NAME /path/to/rootfs");
    }

    @Test
    void badFlagValuesFailWith125AndOneErrorLine() throws IOException {
        String[][] cases = {
            {"--ulimit", "nofile"},
            {"--cap-add", "NOPE"},
            {"--cap-drop", "NOPE"},
            {"--bind", "nocolon"},
            {"--tmpfs", "relative"},
            {"--sysctl", "kernel.core_pattern=|/bin/sh"},
            {"--network", "bad!name"},
            {"-w", "relative"},
            {"--security-opt", "bogus"},
            {"--hostname", "-bad"},
            {"--name", "bad/name"},
            {"-e", "=x"},
        };
        for (String[] c : cases) {
            out.reset();
            err.reset();
            int code = run("run", "--rm", c[0], c[1], "--rootfs", rootfs.toString(), "/probe");
            assertThat(code).as("exit code for %s %s", c[0], c[1]).isEqualTo(125);
            List<String> lines = errLines();
            assertThat(lines).as("stderr for %s %s", c[0], c[1]).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(lines.getFirst()).startsWith("pelagos: error: ").doesNotContain("internal error");
            if (lines.size() == 2) {
                assertThat(lines.get(1)).startsWith("hint: ");
            }
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void errorsWithoutHintPrintOneLine() {
        assertThat(run("run", "--ulimit", "nofile=2:1", "--rootfs", rootfs.toString(), "/probe")).isEqualTo(125);
        assertThat(errLines()).containsExactly("pelagos: error: invalid --ulimit 'nofile=2:1': the soft limit is above the hard limit");
    }

    @Test
    void debugAddsTheStackTrace() {
        assertThat(run("--debug", "run", "--cap-add", "NOPE", "--rootfs", rootfs.toString())).isEqualTo(125);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("pelagos: error: unknown capability 'NOPE'").contains("\tat ");
    }

    @Test
    void groupWithoutSubcommandListsAndUnknownSubcommandIsAUsageError() {
        assertThat(run("rootfs")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: pelagos rootfs COMMAND");
        err.reset();
        assertThat(run("rootfs", "nope")).isEqualTo(2);
        assertThat(errLines().getFirst()).isEqualTo("pelagos: error: unknown command 'nope' for 'pelagos rootfs'");
    }

    /** Anything a failed run left in the data or runtime directories (state, names, volumes). */
    private List<Path> leftovers() throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        for (Path d : List.of(paths.containers(), paths.runtime().resolve("names"), paths.volumes())) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.forEach(found::add);
                }
            }
        }
        return found;
    }
}
