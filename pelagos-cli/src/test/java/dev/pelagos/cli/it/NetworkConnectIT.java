package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network connect|disconnect}: a running container gets one more interface (ethN, an
 * address, no default route), reaches the network's containers by address and name, keeps it
 * across a restart, and loses it again (interface and address claim) on disconnect; what cannot be
 * done is refused with one line and changes nothing. A failure means a container cannot join a
 * second tier without being re-created, or a disconnected one keeps its way in.
 */
class NetworkConnectIT {
    private static final String FRONT = "itconfront";
    private static final String BACK = "itconback";
    @TempDir
    static Path tmp;
    private static NetworkTestbed bed;
    private static Pelagos pelagos;

    @BeforeAll
    static void setUp() throws Exception {
        bed = NetworkTestbed.open(tmp, FRONT + "=10.253.83.0/24", BACK + "=10.253.84.0/24");
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

    private static Path claims(String network) {
        return pelagos.runtimeDir().resolve("networks").resolve(network).resolve("ips");
    }

    private static List<String> claimed(String network) throws Exception {
        try (var s = Files.list(claims(network))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void aRunningContainerJoinsAnotherNetworkKeepsItAcrossARestartAndLeavesIt() throws Exception {
        assertThat(pelagos.run("run", "-d", "--name", "itstore", "--network", BACK, "--rootfs", bb(), "httpd", "-f", "-p", "80", "-h", "/etc")
                .code()).isZero();
        assertThat(pelagos.run("run", "-d", "--name", "itapp", "--network", FRONT, "--rootfs", bb(), "sleep", "120").code()).isZero();
        Pelagos.Result before = pelagos.run("exec", "itapp", "sh", "-c", "wget -q -O - http://itstore/hostname 2>&1; true");
        assertThat(before.out()).contains("bad address");

        Pelagos.Result connect = pelagos.run("network", "connect", "--alias", "api", BACK, "itapp");
        assertThat(connect.code()).as(connect.err()).isZero();
        Pelagos.Result inside = pelagos.run("exec", "itapp", "sh", "-c", "ip -4 -o addr show eth1; ip route | grep -c default");
        assertThat(inside.out()).contains("inet 10.253.84.").endsWith("1\n");
        String store = pelagos.run("exec", "itstore", "hostname").out();
        assertThat(pelagos.run("exec", "itapp", "wget", "-q", "-O", "-", "http://itstore/hostname").out()).isEqualTo(store);
        assertThat(pelagos.run("inspect", "-f", "{{.NetworkSettings.Networks." + BACK + ".Gateway}}", "itapp").line()).isEqualTo("10.253.84.1");
        assertThat(claimed(BACK)).hasSize(2);
        assertThat(pelagos.run("ps", "--format", "json", "--filter", "network=" + BACK).out()).contains("itapp").contains("itstore");
        assertThat(pelagos.run("ps", "--format", "json", "--filter", "network=" + FRONT).out()).contains("itapp").doesNotContain("itstore");
        String appOnBack = pelagos.run("inspect", "-f", "{{.NetworkSettings.Networks." + BACK + ".IPAddress}}", "itapp").line();
        assertThat(pelagos.run("exec", "itstore", "nslookup", "api").out()).as("by its alias, from the network it joined")
                .contains("Address: " + appOnBack);
        String listed = pelagos.run("network", "inspect", BACK).out();
        assertThat(listed).contains("\"Name\": \"itapp\"").contains("\"Device\": \"eth1\"").contains("\"Name\": \"itstore\"");

        assertThat(pelagos.run("restart", "-t", "0", "itapp").code()).isZero();
        assertThat(pelagos.run("exec", "itapp", "wget", "-q", "-O", "-", "http://itstore/hostname").out()).as("after a restart")
                .isEqualTo(store);

        Pelagos.Result disconnect = pelagos.run("network", "disconnect", BACK, "itapp");
        assertThat(disconnect.code()).as(disconnect.err()).isZero();
        assertThat(pelagos.run("exec", "itapp", "ip", "-4", "-o", "addr").out()).doesNotContain("10.253.84.");
        assertThat(claimed(BACK)).as("the address went back").hasSize(1);
        assertThat(pelagos.run("rm", "-f", "itapp", "itstore").code()).isZero();
    }

    @Test
    void whatCannotBeDoneIsRefusedAndChangesNothing() throws Exception {
        assertThat(pelagos.run("run", "-d", "--name", "itone", "--network", FRONT, "--rootfs", bb(), "sleep", "120").code()).isZero();
        assertThat(pelagos.run("run", "-d", "--name", "itnone", "--rootfs", bb(), "sleep", "120").code()).isZero();
        assertThat(pelagos.run("run", "--name", "itstopped", "--network", FRONT, "--rootfs", bb(), "true").code()).isZero();
        record Case(List<String> argv, String error) {
        }
        for (Case c : List.of(
                new Case(List.of("network", "connect", FRONT, "itone"), "container itone is already on network " + FRONT),
                new Case(List.of("network", "connect", "nosuchnet", "itone"), "network 'nosuchnet' not found"),
                new Case(List.of("network", "connect", BACK, "nosuch"), "no such container: nosuch"),
                new Case(List.of("network", "connect", BACK, "itnone"), "container itnone is not on a bridge network"),
                new Case(List.of("network", "connect", BACK, "itstopped"), "container itstopped is not running"),
                new Case(List.of("network", "disconnect", FRONT, "itone"), "network " + FRONT + " is the first network of container itone"),
                new Case(List.of("network", "disconnect", BACK, "itone"), "container itone is not on network " + BACK))) {
            Pelagos.Result r = pelagos.run(c.argv());
            assertThat(r.code()).as("%s: %s", c.argv(), r.err()).isEqualTo(1);
            Pelagos.assertOneErrorLine(r);
            assertThat(r.errLines().getFirst()).startsWith("pelagos: error: " + c.error());
        }
        assertThat(pelagos.run("exec", "itone", "ip", "-4", "-o", "addr").out()).doesNotContain("eth1");
        assertThat(Files.exists(claims(BACK)) ? claimed(BACK) : List.of()).isEmpty();
        assertThat(pelagos.run("rm", "-f", "itone", "itnone", "itstopped").code()).isZero();
    }
}
