package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --network container:NAME} (the sidecar of a pod): the container shares a running
 * container's network namespace, its interfaces, its loopback services and its resolver; started
 * again, it follows the other's current namespace; what cannot be shared is refused with one line.
 * A failure means a sidecar cannot reach its main container on localhost, or joins a stale namespace.
 */
class NetworkShareIT {
    private static final String NET = "itshare";
    @TempDir
    static Path tmp;
    private static NetworkTestbed bed;
    private static Pelagos pelagos;

    @BeforeAll
    static void setUp() throws Exception {
        bed = NetworkTestbed.open(tmp, NET + "=10.253.87.0/24");
        pelagos = bed.pelagos();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    private static String bb() {
        return Pelagos.busyboxRootfs().toString();
    }

    @Test
    void aSidecarSharesTheMainContainersNetworkAndFollowsItAcrossRestarts() {
        // the main container serves on its loopback only: only a sharer of its namespace reaches it
        assertThat(pelagos.run("run", "-d", "--name", "itmain", "--network", NET, "--rootfs", bb(), "sh", "-c",
                "echo main > /tmp/i; exec httpd -f -p 127.0.0.1:8080 -h /tmp").code()).isZero();
        String mainAddress = pelagos.run("exec", "itmain", "ip", "-4", "-o", "addr", "show", "eth0").out();
        assertThat(mainAddress).contains("inet 10.253.87.");
        Pelagos.Result side = pelagos.run("run", "--rm", "--network", "container:itmain", "--rootfs", bb(), "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://127.0.0.1:8080/i && break; sleep 0.2; done; "
                        + "ip -4 -o addr show eth0; cat /etc/resolv.conf");
        assertThat(side.out()).as(side.err()).startsWith("main\n" + mainAddress).contains("nameserver 10.253.87.1\n");

        assertThat(pelagos.run("run", "-d", "--name", "itside", "--network", "container:itmain", "--rootfs", bb(), "sleep", "120")
                .code()).isZero();
        assertThat(pelagos.run("restart", "-t", "0", "itmain").code()).isZero();
        assertThat(pelagos.run("restart", "-t", "0", "itside").code()).isZero();
        assertThat(pelagos.run("exec", "itside", "ip", "-4", "-o", "addr", "show", "eth0").out()).as("the main container's new namespace")
                .isEqualTo(pelagos.run("exec", "itmain", "ip", "-4", "-o", "addr", "show", "eth0").out());

        assertThat(pelagos.run("stop", "-t", "0", "itmain").code()).isZero();
        Pelagos.Result noMain = pelagos.run("restart", "-t", "0", "itside");
        assertThat(noMain.code()).isEqualTo(1);
        assertThat(noMain.errLines().getFirst()).isEqualTo("pelagos: error: container itmain is not running: "
                + "only a running container's network can be shared");
        assertThat(pelagos.run("rm", "-f", "itside", "itmain").code()).isZero();
    }

    @Test
    void whatCannotBeSharedIsRefused() {
        for (String[] c : new String[][] {
                {"--network container:nosuch", "no such container: nosuch"},
                {"--network container:", "--network container: needs a container"},
                {"--network container:x --network bridge", "--network bridge cannot be combined with another --network container"},
                {"--network container:x -p 80", "--network container:x shares that container's network: --publish and the DNS flags"},
                {"--network container:x --add-host a:10.0.0.1", "--network container:x shares that container's network"}}) {
            java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("run", "--rm"));
            argv.addAll(java.util.List.of(c[0].split(" ")));
            argv.addAll(java.util.List.of("--rootfs", bb(), "true"));
            Pelagos.Result r = pelagos.run(argv);
            assertThat(r.code()).as("%s: %s", c[0], r.err()).isEqualTo(125);
            Pelagos.assertOneErrorLine(r);
            assertThat(r.errLines().getFirst()).startsWith("pelagos: error: " + c[1]);
        }
    }
}
