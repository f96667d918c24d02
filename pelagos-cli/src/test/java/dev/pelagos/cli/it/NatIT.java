package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers on bridge networks reach beyond the host through NAT, and still not each other. The
 * "outside" is a network namespace this class makes (10.254.0.2 behind a veth; no traffic leaves
 * the host), where a server answers each connection with the address it came from: a container's
 * connection arrives from the host's address (masqueraded), with the host forwarding. Two user
 * networks: a container on one cannot reach one on the other although the host now forwards, but
 * reaches a port the other publishes (through its gateway), as does a container on the same
 * network (hairpin). The host's networking is put back afterwards.
 */
class NatIT {
    private static final String UPLINK_NS = "pelagos-it-uplink";
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostNetworkState host;
    private static Process server;

    @BeforeAll
    static void setUp() throws Exception {
        pelagos = new Pelagos(tmp);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed for the uplink's server");
        host = HostNetworkState.note();
        HostNetworkState.exec("ip", "netns", "del", UPLINK_NS); // left by an interrupted run
        HostNetworkState.exec("ip", "link", "del", "pit-up0");
        for (List<String> cmd : List.of(List.of("ip", "netns", "add", UPLINK_NS),
                List.of("ip", "link", "add", "pit-up0", "type", "veth", "peer", "name", "pit-up1"),
                List.of("ip", "link", "set", "pit-up1", "netns", UPLINK_NS),
                List.of("ip", "addr", "add", "10.254.0.1/24", "dev", "pit-up0"),
                List.of("ip", "link", "set", "pit-up0", "up"),
                List.of("ip", "-n", UPLINK_NS, "addr", "add", "10.254.0.2/24", "dev", "pit-up1"),
                List.of("ip", "-n", UPLINK_NS, "link", "set", "pit-up1", "up"))) {
            assertThat(HostNetworkState.exec(cmd.toArray(String[]::new))).as(String.join(" ", cmd)).isZero();
        }
        server = new ProcessBuilder("ip", "netns", "exec", UPLINK_NS, "python3", "-c", """
                import socket
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(('10.254.0.2', 9000))
                s.listen()
                while True:
                    c, a = s.accept()
                    c.send((a[0] + '\\n').encode())
                    c.close()
                """).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        HostNetworkState.exec("ip", "netns", "del", UPLINK_NS);
        HostNetworkState.exec("ip", "link", "del", "pit-up0");
        if (pelagos != null) {
            pelagos.run("rm", "-f", "natb", "natb2");
            pelagos.run("network", "rm", "itnata", "itnatb");
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
        }
        if (host != null) {
            host.restore();
        }
    }

    /** A container on {@code network} runs {@code script}; its output, trimmed. */
    private static String on(String network, String script) {
        Pelagos.Result r = pelagos.run(List.of("run", "--rm", "--init", "--network", network, "--rootfs",
                Pelagos.busyboxRootfs().toString(), "sh", "-c", script));
        return r.out().strip();
    }

    @Test
    void containersReachTheOutsideFromTheHostsAddress() throws Exception {
        String seen = "";
        for (int i = 0; i < 20 && seen.isEmpty(); i++) {
            seen = on("bridge", "timeout 5 nc 10.254.0.2 9000");
        }
        assertThat(seen).as("the address the outside saw").isEqualTo("10.254.0.1");
        assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip()).isEqualTo("1");
    }

    @Test
    void networksStayApartWhileTheHostForwardsButPublishedPortsAreForAll() {
        assertThat(pelagos.run("network", "create", "itnata", "--subnet", "10.253.71.0/24").code()).isZero();
        assertThat(pelagos.run("network", "create", "itnatb", "--subnet", "10.253.72.0/24").code()).isZero();
        Pelagos.Result b = pelagos.run(List.of("run", "-d", "--name", "natb", "--network", "itnatb", "-p", "18480:80", "--rootfs",
                Pelagos.busyboxRootfs().toString(), "httpd", "-f", "-p", "80", "-h", "/etc"));
        assertThat(b.code()).as(b.err()).isZero();
        String bIp = com.google.gson.JsonParser.parseString(pelagos.run("inspect", "natb").out()).getAsJsonArray().get(0)
                .getAsJsonObject().getAsJsonObject("NetworkSettings").get("IPAddress").getAsString();
        String get = "timeout 3 wget -q -O - http://%s/hostname >/dev/null && echo reached || echo blocked";
        String published = "";
        for (int i = 0; i < 20 && !published.equals("reached"); i++) {
            published = on("itnata", get.formatted("10.253.71.1:18480"));
        }
        assertThat(published).as("a port published by a container on the other network, through the gateway").isEqualTo("reached");
        assertThat(on("itnatb", get.formatted("10.253.72.1:18480"))).as("the same, from the same network (hairpin)").isEqualTo("reached");
        assertThat(on("itnata", get.formatted(bIp))).as("the other network's container itself").isEqualTo("blocked");
        assertThat(pelagos.run("rm", "-f", "natb").code()).isZero();
        assertThat(pelagos.run("network", "rm", "itnata", "itnatb").code()).isZero();
    }
}
