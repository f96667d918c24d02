package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run -it} and {@code exec -it} driven through a real pseudo-terminal (a small Python pty
 * driver plays the user at a 40x120 terminal): the container's shell gets a terminal of its own with
 * the caller's window size, follows a resize (SIGWINCH), receives Ctrl-C itself while pelagos survives,
 * exits with the shell's code, and the caller's terminal settings are exactly restored afterwards;
 * {@code run -t} alone gives a terminal too. A failure means interactive use is broken: wrong size,
 * Ctrl-C killing pelagos instead of the program, or a terminal left in raw mode.
 */
class TerminalIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static Path driver;

    /** Plays the user at a terminal; prints one JSON object with what it saw. */
    private static final String DRIVER = """
            import fcntl, json, os, pty, re, select, struct, sys, termios, time
            mode, argv = sys.argv[1], sys.argv[2:]
            m, s = pty.openpty()
            fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
            before = termios.tcgetattr(s)
            pid = os.fork()
            if pid == 0:
                os.setsid()
                fcntl.ioctl(s, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(s, fd)
                os.close(m); os.close(s)
                os.execv(argv[0], argv)
            buf = b''
            def pump(t):
                global buf
                r, _, _ = select.select([m], [], [], t)
                if r:
                    try:
                        d = os.read(m, 65536)
                    except OSError:
                        return False
                    if not d:
                        return False
                    buf += d
                return True
            def expect(pattern, timeout=15):
                end = time.time() + timeout
                while time.time() < end:
                    hit = re.search(pattern, buf)
                    if hit:
                        return hit
                    if not pump(0.1):
                        break
                hit = re.search(pattern, buf)
                if not hit:
                    raise SystemExit(json.dumps({'error': 'no match for %r' % pattern, 'transcript': buf.decode('utf-8', 'replace')}))
                return hit
            out = {}
            if mode == 'dialogue':
                os.write(m, b'echo A$((40+2))\\r'); expect(rb'A42')
                os.write(m, b'echo S1:$(stty size):E\\r'); out['size'] = expect(rb'S1:(\\d+ \\d+):E').group(1).decode()
                fcntl.ioctl(m, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 132, 0, 0))
                time.sleep(0.5)
                os.write(m, b'echo S2:$(stty size):E\\r'); out['resized'] = expect(rb'S2:(\\d+ \\d+):E').group(1).decode()
                os.write(m, b'echo T:$(tty):E\\r'); out['tty'] = expect(rb'T:(/\\S+):E').group(1).decode()
                os.write(m, b'sleep 30\\r'); time.sleep(0.7)
                os.write(m, b'\\x03'); time.sleep(0.3)
                os.write(m, b'echo C$((1+1))\\r'); expect(rb'C2', 5)
                os.write(m, b'exit 3\\r')
            status, end = None, time.time() + 20
            while status is None and time.time() < end:
                pump(0.1)
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = st
            if status is None:
                os.kill(pid, 9)
                raise SystemExit(json.dumps({'error': 'pelagos did not exit', 'transcript': buf.decode('utf-8', 'replace')}))
            while select.select([m], [], [], 0.2)[0] and pump(0):
                pass
            out['code'] = os.waitstatus_to_exitcode(status)
            out['restored'] = termios.tcgetattr(s) == before
            out['transcript'] = buf.decode('utf-8', 'replace')
            print(json.dumps(out))
            """;

    @BeforeAll
    static void setUp() throws Exception {
        pelagos = new Pelagos(tmp);
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 to drive a pseudo-terminal");
        driver = tmp.resolve("ptydriver.py");
        Files.writeString(driver, DRIVER);
    }

    @AfterAll
    static void nothingLeft() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static JsonObject drive(String mode, String... pelagosArgs) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", driver.toString(), mode, Pelagos.launcher().toString()));
        cmd.addAll(List.of(pelagosArgs));
        Pelagos.Result r = pelagos.exec(cmd);
        assertThat(r.code()).as("pty driver: %s %s", r.out(), r.err()).isZero();
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(o.has("error")).as("pty dialogue: %s", o).isFalse();
        return o;
    }

    private static void assertInteractiveSession(JsonObject o) {
        assertThat(o.get("size").getAsString()).as("window size inside; transcript: %s", o.get("transcript")).isEqualTo("40 120");
        assertThat(o.get("resized").getAsString()).as("after a resize").isEqualTo("50 132");
        assertThat(o.get("tty").getAsString()).as("the shell's terminal").matches("/dev/pts/\\d+|/dev/console");
        assertThat(o.get("code").getAsInt()).as("exit code of the session").isEqualTo(3);
        assertThat(o.get("restored").getAsBoolean()).as("the caller's terminal settings restored").isTrue();
    }

    @Test
    void runInteractiveGetsARealTerminal() {
        assertInteractiveSession(drive("dialogue", "run", "-it", "--rm", "--rootfs", Pelagos.busyboxRootfs().toString(), "sh"));
        assertThat(pelagos.leftovers()).isEmpty();
    }

    @Test
    void execInteractiveGetsARealTerminal() {
        String id = new HostView(pelagos).runDetached("--rootfs", Pelagos.busyboxRootfs().toString(), "sleep", "60");
        assertInteractiveSession(drive("dialogue", "exec", "-it", id, "sh"));
        assertThat(HostView.alive(new HostView(pelagos).pidFile(id).pid())).as("the container outlives the session").isTrue();
        assertThat(pelagos.run("rm", "-f", id).code()).isZero();
    }

    /** With -d -t the monitor holds the terminal: the container's output, written to a tty, lands in the log. */
    @Test
    void detachedWithATerminal() {
        HostView host = new HostView(pelagos);
        String id = host.runDetached("-t", "--rootfs", Pelagos.busyboxRootfs().toString(), "sh", "-c", "tty; echo done; sleep 60");
        HostView.await("output of the detached terminal", java.time.Duration.ofSeconds(10),
                () -> pelagos.run("logs", id).out().contains("done"));
        assertThat(pelagos.run("logs", id).out()).matches("(?s)/dev/pts/\\d+\\r?\\ndone\\r?\\n");
        assertThat(pelagos.run("exec", id, "sh", "-c", "test -t 0 && echo tty || echo notty").line())
                .as("a plain exec into it has no terminal").isEqualTo("notty");
        assertThat(pelagos.run("rm", "-f", id).code()).isZero();
    }

    @Test
    void runTtyWithoutStdin() {
        JsonObject o = drive("oneshot", "run", "-t", "--rm", "--rootfs", Pelagos.busyboxRootfs().toString(), "sh", "-c",
                "tty; stty size; exit 5");
        assertThat(o.get("transcript").getAsString()).matches("(?s)(/dev/pts/\\d+|/dev/console)\\r?\\n40 120\\r?\\n");
        assertThat(o.get("code").getAsInt()).isEqualTo(5);
        assertThat(o.get("restored").getAsBoolean()).isTrue();
    }
}
