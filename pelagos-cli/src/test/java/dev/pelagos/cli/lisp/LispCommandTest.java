package dev.pelagos.cli.lisp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pelagos lisp}: files, {@code -e}, the REPL, and how errors are printed. */
class LispCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private int run(String... argv) {
        return Main.run(List.of(argv), cli);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void evalPrintsTheValueOfTheLastForm() {
        assertThat(run("lisp", "-e", "(define x 20) (+ x 22)")).isZero();
        assertThat(out()).isEqualTo("42\n");
    }

    @Test
    void evalPutsTheValueOnItsOwnLineAfterProgramOutput() {
        assertThat(run("lisp", "-e", "(display \"hi\")")).isZero();
        assertThat(out()).isEqualTo("hi\n()\n");
    }

    @Test
    void fileRunsAndLogsGoToStderr(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("app.reml");
        Files.writeString(f, "(display \"out\") (newline) (log \"note\" 1)\n");
        assertThat(run("lisp", f.toString())).isZero();
        assertThat(out()).isEqualTo("out\n");
        assertThat(err()).isEqualTo("[lisp] note 1\n");
    }

    @Test
    void errorsShowFileLineColumnTheLineAndACaret(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.reml");
        Files.writeString(f, "(define x 1)\n  (car x)\n");
        assertThat(run("lisp", f.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("pelagos: error: " + f + ":2:3: car: expected pair, got int\n  (car x)\n  ^\n");
    }

    @Test
    void missingFileIsAOneLineError() {
        assertThat(run("lisp", "/nonexistent/x.reml")).isEqualTo(1);
        assertThat(err()).isEqualTo("pelagos: error: cannot read /nonexistent/x.reml: no such file\n");
    }

    @Test
    void nonUtf8FileIsAOneLineError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.reml");
        Files.write(f, new byte[] {'(', 'd', 'i', 's', 'p', 'l', 'a', 'y', ' ', '"', (byte) 0xe9, '"', ')'});
        assertThat(run("lisp", f.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("pelagos: error: cannot read " + f + ": not valid UTF-8\nhint: save the program as UTF-8\n");
    }

    @Test
    void timeoutStopsARunawayProgram() {
        assertThat(run("lisp", "--timeout", "300ms", "-e", "(let loop () (loop))")).isEqualTo(1);
        assertThat(err()).startsWith("pelagos: error: <expr>:1:").contains("timeout: the program ran longer than 300ms")
                .contains("hint: give the program more time with --timeout");
    }

    @Test
    void badTimeoutAndFileWithExprAreUsageErrors() {
        assertThat(run("lisp", "--timeout", "soon", "-e", "1")).isEqualTo(1);
        assertThat(err()).contains("invalid --timeout 'soon'");
        assertThat(run("lisp", "-e", "1", "file.reml")).isEqualTo(2);
    }

    @Test
    void containerBuiltinsAreAbsentInAPlainRun() {
        assertThat(run("lisp", "-e", "(container-start (service \"a\" '(image \"x\")))")).isEqualTo(1);
        assertThat(err()).contains("unbound variable: container-start");
    }

    @Test
    void replEvaluatesMultiLineInputAndContinuesAfterErrors() {
        String session = "(define (sq x)\n  (* x x))\n(sq 7)\n(car 1)\n\"two\nlines\"\n";
        LispCommand cmd = new LispCommand();
        assertThat(cmd).isNotNull();
        ConsoleHost host = new ConsoleHost(cli.out(), cli.err());
        int code = new Repl(new dev.pelagos.lisp.Interpreter(host), host, cli)
                .run(new ByteArrayInputStream(session.getBytes(StandardCharsets.UTF_8)), null);
        assertThat(code).isZero();
        assertThat(out()).isEqualTo("()\n49\n\"two\\nlines\"\n");
        assertThat(err()).startsWith("error: <repl:3>:1:1: car: expected pair, got int\n(car 1)\n^");
    }

    @Test
    void incompleteInputIsRecognised() {
        assertThat(Repl.isIncomplete("(define (f x)")).isTrue();
        assertThat(Repl.isIncomplete("\"open string")).isTrue();
        assertThat(Repl.isIncomplete("'")).isTrue();
        assertThat(Repl.isIncomplete("(f x)")).isFalse();
        assertThat(Repl.isIncomplete(")")).isFalse();
    }
}
