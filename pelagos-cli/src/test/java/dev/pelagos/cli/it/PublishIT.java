package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -p}: a published port reaches the container from 127.0.0.1 and from the host's other
 * addresses (here the bridge's own, 172.19.0.1: all traffic stays on this host), one published on
 * 127.0.0.1 only from there; UDP answers come back through the same translation; a port the host
 * picks is shown by inspect and works; a second container cannot take a published port (and
 * leaves nothing); the forwards come back on restart and go with {@code rm}; the forward of a
 * {@code --rm} container that ended is dropped when its address is given to the next container.
 * The host's networking is put back afterwards ({@link HostNetworkState}).
 */
class PublishIT {
    private static final String GATEWAY = "172.19.0.1";
    @TempDir
    static Path tmp;
    private static NetworkTestbed bed;
    private static Pelagos pelagos;

    @BeforeAll
    static void setUp() throws Exception {
        bed = NetworkTestbed.open(tmp);
        pelagos = bed.pelagos();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    private static Pelagos.Result httpd(String name, String... publish) {
        List<String> argv = new java.util.ArrayList<>(List.of("run", "-d", "--name", name, "--network", "bridge"));
        for (String p : publish) {
            argv.addAll(List.of("-p", p));
        }
        argv.addAll(List.of("--rootfs", Pelagos.busyboxRootfs().toString(), "httpd", "-f", "-p", "80", "-h", "/etc"));
        return pelagos.run(argv);
    }

    /** The first line of an HTTP GET of /hostname, or "" when nothing answered in 20 tries. */
    private static String get(String host, int port) {
        return get(host, port, 20);
    }

    /** The same, for a port that should not answer: two tries. */
    private static String nothingAt(String host, int port) {
        return get(host, port, 2);
    }

    private static String get(String host, int port, int attempts) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setSoTimeout(2000);
                s.getOutputStream().write(("GET /hostname HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                return reply.lines().findFirst().orElse("");
            } catch (IOException e) {
                sleep(100); // the server may still be starting
            }
        }
        return "";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static JsonObject inspect(String name) {
        return JsonParser.parseString(pelagos.run("inspect", name).out()).getAsJsonArray().get(0).getAsJsonObject();
    }

    @Test
    void publishedPortsReachTheContainerFromTheHostAndGoWithIt() {
        Pelagos.Result web = httpd("pub", "18380:80", "127.0.0.1:18381:80", "80");
        assertThat(web.code()).as(web.err()).isZero();
        assertThat(get("127.0.0.1", 18380)).matches("HTTP/1\\.[01] 200.*");
        assertThat(get(GATEWAY, 18380)).matches("HTTP/1\\.[01] 200.*");
        assertThat(get("127.0.0.1", 18381)).matches("HTTP/1\\.[01] 200.*");
        assertThat(nothingAt(GATEWAY, 18381)).as("published on 127.0.0.1 only").isEmpty();

        JsonObject ports = inspect("pub").getAsJsonObject("NetworkSettings").getAsJsonObject("Ports");
        var bindings = ports.getAsJsonArray("80/tcp");
        assertThat(bindings).hasSize(3);
        assertThat(bindings.get(0).getAsJsonObject().get("HostIp").getAsString()).isEqualTo("0.0.0.0");
        assertThat(bindings.get(0).getAsJsonObject().get("HostPort").getAsString()).isEqualTo("18380");
        assertThat(bindings.get(1).getAsJsonObject().get("HostIp").getAsString()).isEqualTo("127.0.0.1");
        int picked = Integer.parseInt(bindings.get(2).getAsJsonObject().get("HostPort").getAsString());
        assertThat(picked).isBetween(1024, 65535);
        assertThat(pelagos.run("ps", "--filter", "name=pub").out()).contains("PORTS")
                .contains("0.0.0.0:18380->80/tcp, 127.0.0.1:18381->80/tcp, 0.0.0.0:" + picked + "->80/tcp");
        assertThat(pelagos.run("port", "pub").out()).isEqualTo("80/tcp -> 0.0.0.0:18380\n80/tcp -> 127.0.0.1:18381\n80/tcp -> 0.0.0.0:"
                + picked + "\n");
        assertThat(pelagos.run("port", "pub", "80").out()).startsWith("0.0.0.0:18380\n");
        assertThat(pelagos.run("ps", "-q", "--filter", "name=pub", "--filter", "publish=80/tcp").out()).isNotEmpty();
        assertThat(pelagos.run("ps", "-q", "--filter", "name=pub", "--filter", "publish=81").out()).isEmpty();
        Pelagos.Result none = pelagos.run("port", "pub", "81/udp");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.errLines().getFirst()).isEqualTo("pelagos: error: no public port '81/udp' published for pub");
        assertThat(get("127.0.0.1", picked)).matches("HTTP/1\\.[01] 200.*");

        // taken: the second container fails as a whole, with one line
        int before = pelagos.run("ps", "-aq").out().lines().toList().size();
        Pelagos.Result clash = httpd("clash", "18380:80");
        assertThat(clash.code()).isEqualTo(125);
        assertThat(clash.errLines().getFirst()).startsWith("pelagos: error: port 18380/tcp is already published by container ");
        assertThat(pelagos.run("ps", "-aq").out().lines().toList()).hasSize(before);

        // a restart publishes again
        assertThat(pelagos.run("stop", "-t", "1", "pub").code()).isZero();
        assertThat(nothingAt("127.0.0.1", 18380)).isEmpty();
        assertThat(pelagos.run("start", "pub").code()).isZero();
        assertThat(get("127.0.0.1", 18380)).matches("HTTP/1\\.[01] 200.*");

        assertThat(pelagos.run("rm", "-f", "pub").code()).isZero();
        assertThat(nothingAt("127.0.0.1", 18380)).isEmpty();
        assertThat(nothingAt("127.0.0.1", 18381)).isEmpty();
    }

    @Test
    void udpAnswersComeBackThroughThePublishedPort() throws Exception {
        Pelagos.Result echo = pelagos.run("run", "-d", "--name", "udp", "-p", "18390:5353/udp", "--rootfs",
                Pelagos.probeRootfs().toString(), "/probe", "udp-echo", "5353");
        assertThat(echo.code()).as(echo.err()).isZero();
        String answer = "";
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(500);
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            for (int attempt = 0; attempt < 20 && answer.isEmpty(); attempt++) {
                s.send(new DatagramPacket(hello, hello.length, InetAddress.getByName("127.0.0.1"), 18390));
                DatagramPacket in = new DatagramPacket(new byte[64], 64);
                try {
                    s.receive(in);
                    answer = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
                } catch (SocketTimeoutException e) {
                    // not listening yet
                }
            }
        }
        assertThat(answer).isEqualTo("echo:hello");
        assertThat(pelagos.run("rm", "-f", "udp").code()).isZero();
    }

    @Test
    void theForwardOfAnEndedRmContainerGoesWhenItsAddressIsReused() throws Exception {
        Pelagos.Result gone = pelagos.run("run", "--rm", "-p", "18395:80", "--rootfs", Pelagos.busyboxRootfs().toString(), "true");
        assertThat(gone.code()).as(gone.err()).isZero();
        Path ports = pelagos.runtimeDir().resolve("networks/ports");
        // the next container on the bridge takes the address back, and the forward with it
        Pelagos.Result next = httpd("next");
        assertThat(next.code()).as(next.err()).isZero();
        try (var s = Files.list(ports)) {
            // a line "tcp 0.0.0.0 18395 ..." in any container's forwards would be the ended one's
            assertThat(s.filter(p -> !p.getFileName().toString().startsWith(".")).map(PublishIT::read))
                    .noneMatch(text -> text.contains(" 18395 "));
        }
        assertThat(nothingAt("127.0.0.1", 18395)).as("the ended container's port must not lead to the next one").isEmpty();
        assertThat(pelagos.run("rm", "-f", "next").code()).isZero();
    }

    @Test
    void cleanupRemovesTheForwardsOfAnEndedRmContainer() throws Exception {
        Pelagos.Result gone = pelagos.run("run", "--rm", "-p", "18396:80", "--rootfs", Pelagos.busyboxRootfs().toString(), "true");
        assertThat(gone.code()).as(gone.err()).isZero();
        Pelagos.Result r = pelagos.run("cleanup");
        assertThat(r.out()).as(r.err()).contains("removed published ports of ");
        try (var s = Files.list(pelagos.runtimeDir().resolve("networks/ports"))) {
            assertThat(s.filter(p -> !p.getFileName().toString().startsWith(".")).map(PublishIT::read))
                    .noneMatch(text -> text.contains(" 18396 "));
        }
    }

    @Test
    void publishingNeedsABridgeNetwork() {
        Pelagos.Result none = pelagos.run("run", "--rm", "--network", "none", "-p", "80", "--rootfs",
                Pelagos.busyboxRootfs().toString(), "true");
        assertThat(none.code()).isEqualTo(125);
        assertThat(none.errLines().getFirst()).isEqualTo("pelagos: error: --publish needs a bridge network; --network none has none to publish from");
    }
}
