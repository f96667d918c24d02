package dev.pelagos.cli.it.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI process as runc sets it up: working directory, terminal owner and size, console socket for exec. */
class OciProcessIT {
    @TempDir
    Path tmp;

    @BeforeEach
    void usable() {
        OciBundle.assumeUsable();
    }

    private static JsonObject user(int uid, int gid) {
        JsonObject u = new JsonObject();
        u.addProperty("uid", uid);
        u.addProperty("gid", gid);
        return u;
    }

    @Test
    void execAsRootEntersAWorkingDirectoryOnlyItsOwnerCanSearch() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            Path root = b.rootfs.resolve("root");
            Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Files.setAttribute(root, "unix:uid", 42);
            b.process().addProperty("cwd", "/root");
            b.process().add("user", user(42, 42));
            b.args("sleep", "30");
            String id = b.newId();
            OciBundle.Result run = b.pelagos("run", "-d", id);
            assertThat(run.code()).as(run.all()).isZero();
            // root without CAP_DAC_OVERRIDE could not enter it after dropping capabilities: it is entered before
            OciBundle.Result exec = b.pelagos("exec", "--user", "0", id, "sh", "-c", "pwd; id -u");
            assertThat(exec.code()).as(exec.all()).isZero();
            assertThat(exec.out()).isEqualTo("/root\n0\n");
        }
    }

    @Test
    void theTerminalBelongsToTheProcessUserAndHasTheConfiguredSize() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            b.process().addProperty("terminal", true);
            b.process().add("user", user(1000, 100));
            JsonObject size = new JsonObject();
            size.addProperty("height", 10);
            size.addProperty("width", 110);
            b.process().add("consoleSize", size);
            b.args("sh", "-c", "stat -c %u:%g $(tty); stty size");
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).as(r.all()).isZero();
            // the group stays devpts' tty group (gid=5 in the config's devpts options)
            assertThat(r.out().replace("\r", "")).isEqualTo("1000:5\n10 110\n");
        }
    }

    /**
     * exec -t -d hands its terminal to a console socket given as a host path: it must be reached
     * from the host, not from inside the container's mount namespace, where the path does not exist.
     */
    @Test
    void detachedExecSendsItsTerminalToAHostConsoleSocket() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 to receive the terminal");
        try (OciBundle b = new OciBundle(tmp)) {
            b.args("sleep", "30");
            String id = b.newId();
            OciBundle.Result run = b.pelagos("run", "-d", id);
            assertThat(run.code()).as(run.all()).isZero();

            Path sock = tmp.resolve("console.sock");
            Path got = tmp.resolve("console.out");
            // receives the pty master and copies what the process writes until it closes
            String receiver = "import socket,os,sys\n"
                    + "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); print('ready', flush=True)\n"
                    + "c,_=s.accept(); _,fds,_,_=socket.recv_fds(c,1,1); out=open(sys.argv[2],'wb')\n"
                    + "while True:\n  try: d=os.read(fds[0],4096)\n  except OSError: break\n  if not d: break\n  out.write(d); out.flush()\n";
            Process rcv = new ProcessBuilder(python.toString(), "-c", receiver, sock.toString(), got.toString()).start();
            try {
                assertThat(new String(rcv.getInputStream().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("ready\n");
                Path process = tmp.resolve("process.json");
                Files.writeString(process, "{\"terminal\":true,\"consoleSize\":{\"height\":10,\"width\":110},"
                        + "\"user\":{\"uid\":0,\"gid\":0},\"cwd\":\"/\",\"env\":[\"PATH=/bin\"],\"args\":[\"stty\",\"size\"]}");
                OciBundle.Result exec = b.pelagos("exec", "-t", "-d", "--pid-file", tmp.resolve("exec.pid").toString(),
                        "--console-socket", sock.toString(), "-p", process.toString(), id);
                assertThat(exec.code()).as(exec.all()).isZero();
                assertThat(rcv.waitFor(20, TimeUnit.SECONDS)).as("the receiver saw the terminal close").isTrue();
                assertThat(Files.readString(got).replace("\r", "")).isEqualTo("10 110\n");
            } finally {
                rcv.destroyForcibly();
            }
        }
    }
}
