package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.lifecycle.HostView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --network bridge}: the container gets eth0 on the bridge pelagos0 (172.19.0.0/24) with a
 * default route through 172.19.0.1, containers reach each other and the host reaches them (all
 * traffic stays between the host and namespaces the tests made), inspect shows the address, a
 * restarted container is on the bridge again, and nothing is left when containers go: no veth,
 * no namespace file, no address claim. The host's networking is put back afterwards ({@link HostNetworkState}).
 */
class BridgeNetworkIT {
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

    private static List<String> bridge(String... args) {
        List<String> l = new java.util.ArrayList<>(List.of("run", "--network", "bridge", "--rootfs", Pelagos.busyboxRootfs().toString()));
        l.addAll(List.of(args));
        return l;
    }

    /** The host ends of veth pairs: the interfaces named vh-* (eth0's) and v1-*, v2-*, ... */
    private static List<String> hostVeths() throws Exception {
        try (var s = Files.list(Path.of("/sys/class/net"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("v(h|\\d)-[0-9a-f]{12}")).sorted().toList();
        }
    }

    /** A namespace ends a moment after its last process (the kernel tears it down in the background), its veth with it. */
    private static void awaitVeths(List<String> before) {
        HostView.await("the containers' veths gone with them", Duration.ofSeconds(10), () -> {
            try {
                return hostVeths().equals(before);
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void eth0HasAnAddressOnTheBridgeAndADefaultRouteThroughIt() {
        List<String> before;
        try {
            before = hostVeths();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Pelagos.Result r = pelagos.run(bridge("--rm", "--hostname", "box", "sh", "-c",
                "ip -4 -o addr show eth0 | awk '{print $4}'; ip route | grep default; grep box /etc/hosts; ip -o link | grep -c ': lo:.*UP'"));
        List<String> lines = r.out().lines().toList();
        assertThat(lines).as(r.err()).hasSize(4);
        assertThat(lines.get(0)).matches("172\\.19\\.0\\.\\d+/24");
        assertThat(lines.get(1)).startsWith("default via 172.19.0.1 dev eth0");
        assertThat(lines.get(2)).isEqualTo(lines.get(0).replace("/24", "") + "\tbox");
        assertThat(lines.get(3)).as("lo is up").isEqualTo("1");
        awaitVeths(before);
    }

    @Test
    void containersReachEachOtherAndTheHostReachesThem() throws Exception {
        Pelagos.Result web = pelagos.run(bridge("-d", "--name", "web", "--hostname", "webhost", "httpd", "-f", "-p", "8080", "-h", "/etc"));
        assertThat(web.code()).as(web.err()).isZero();
        JsonObject inspect = JsonParser.parseString(pelagos.run("inspect", "web").out()).getAsJsonArray().get(0).getAsJsonObject();
        JsonObject settings = inspect.getAsJsonObject("NetworkSettings");
        String ip = settings.get("IPAddress").getAsString();
        assertThat(ip).matches("172\\.19\\.0\\.\\d+");
        assertThat(settings.get("Gateway").getAsString()).isEqualTo("172.19.0.1");
        assertThat(settings.get("IPPrefixLen").getAsInt()).isEqualTo(24);

        // another container on the bridge, then the host itself
        String url = "http://" + ip + ":8080/hostname";
        String fromContainer = "";
        for (int i = 0; i < 20 && !fromContainer.equals("webhost\n"); i++) {
            fromContainer = pelagos.run(bridge("--rm", "wget", "-q", "-O", "-", url)).out();
            Thread.sleep(100);
        }
        assertThat(fromContainer).isEqualTo("webhost\n");
        HttpResponse<String> fromHost = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(fromHost.body()).isEqualTo("webhost\n");

        // a second container gets another address
        Pelagos.Result other = pelagos.run(bridge("--rm", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}'"));
        assertThat(other.out().strip()).matches("172\\.19\\.0\\.\\d+/24").isNotEqualTo(ip + "/24");
        assertThat(pelagos.run("rm", "-f", "web").code()).isZero();
    }

    @Test
    void aFailedStartLeavesNoNamespaceNoAddressNoVeth() throws Exception {
        List<String> before = hostVeths();
        Pelagos.Result r = pelagos.run(bridge("--name", "half", "--sysctl", "net.core.no_such_knob=1", "true"));
        assertThat(r.code()).isEqualTo(125);
        assertThat(pelagos.leftovers()).isEmpty();
        awaitVeths(before);
    }

    /** A namespace file whose container is gone (a crash before the helper took it) is removed by cleanup. */
    @Test
    void cleanupRemovesAStaleNamespaceFile() throws Exception {
        Path dir = Files.createDirectories(pelagos.runtimeDir().resolve("networks/netns"));
        String id = "ab".repeat(32);
        dev.pelagos.sys.net.NetNamespace.create(dir.resolve(id));
        Pelagos.Result r = pelagos.run("cleanup");
        assertThat(r.out()).as(r.err()).contains("network namespace " + id.substring(0, 12));
        assertThat(dir.resolve(id)).doesNotExist();
        assertThat(Pelagos.hostMountsMentioning(dir)).isEmpty();
    }

    /**
     * The seed's topology (REFERENCE §7.2, the web stack): "front" and "back" networks, a service on
     * both (eth0 and eth1, one default route), one on each; the two ends share no network and do not
     * reach each other. {@code network rm} refuses a network in use and removes its bridge after.
     */
    @Test
    void userNetworksIsolateByTopology() throws Exception {
        assertThat(pelagos.run("network", "create", "itfront", "--subnet", "10.253.1.0/24").out())
                .isEqualTo("Created network 'itfront' (10.253.1.0/24)\n");
        assertThat(pelagos.run("network", "create", "itback", "--subnet", "10.253.2.0/24").code()).isZero();
        try {
            assertThat(pelagos.run("network", "ls", "-q").out()).isEqualTo("bridge\nitback\nitfront\n");
            Pelagos.Result redis = pelagos.run(List.of("run", "-d", "--name", "redis", "--network", "itback", "--hostname", "redis",
                    "--rootfs", Pelagos.busyboxRootfs().toString(), "httpd", "-f", "-p", "6379", "-h", "/etc"));
            assertThat(redis.code()).as(redis.err()).isZero();
            Pelagos.Result app = pelagos.run(List.of("run", "-d", "--name", "app", "--network", "itfront", "--network", "itback",
                    "--hostname", "app", "--rootfs", Pelagos.busyboxRootfs().toString(), "httpd", "-f", "-p", "5000", "-h", "/etc"));
            assertThat(app.code()).as(app.err()).isZero();
            Pelagos.Result where = pelagos.run("exec", "app", "sh", "-c", "ip -4 -o addr show | awk '{print $2, $4}'; ip route | grep -c default");
            assertThat(where.out()).as(where.err()).matches("lo 127\\.0\\.0\\.1/8\neth0 10\\.253\\.1\\.\\d+/24\neth1 10\\.253\\.2\\.\\d+/24\n1\n");
            JsonObject appNets = JsonParser.parseString(pelagos.run("inspect", "app").out()).getAsJsonArray().get(0).getAsJsonObject()
                    .getAsJsonObject("NetworkSettings").getAsJsonObject("Networks");
            assertThat(appNets.keySet()).containsExactly("itfront", "itback");
            String redisIp = JsonParser.parseString(pelagos.run("inspect", "redis").out()).getAsJsonArray().get(0).getAsJsonObject()
                    .getAsJsonObject("NetworkSettings").get("IPAddress").getAsString();
            String appIp = appNets.getAsJsonObject("itfront").get("IPAddress").getAsString();

            String proxyToApp = "";
            for (int i = 0; i < 20 && !proxyToApp.equals("app\n"); i++) {
                proxyToApp = pelagos.run(List.of("run", "--rm", "--network", "itfront", "--rootfs", Pelagos.busyboxRootfs().toString(),
                        "wget", "-q", "-O", "-", "http://" + appIp + ":5000/hostname")).out();
                Thread.sleep(100);
            }
            assertThat(proxyToApp).isEqualTo("app\n");
            assertThat(pelagos.run("exec", "app", "wget", "-q", "-O", "-", "http://" + redisIp + ":6379/hostname").out()).isEqualTo("redis\n");
            // --init: a timeout's SIGTERM does not reach a PID 1 without a handler (busybox's wget -T crashes)
            Pelagos.Result proxyToRedis = pelagos.run(List.of("run", "--rm", "--init", "--network", "itfront", "--rootfs",
                    Pelagos.busyboxRootfs().toString(), "timeout", "3", "wget", "-q", "-O", "-", "http://" + redisIp + ":6379/hostname"));
            assertThat(proxyToRedis.code()).as("the front reaches nothing on the back").isNotZero();
            assertThat(proxyToRedis.out()).isEmpty();

            Pelagos.Result busy = pelagos.run("network", "rm", "itback");
            assertThat(busy.code()).isEqualTo(1);
            assertThat(busy.err()).contains("network 'itback' is in use by ");
            assertThat(pelagos.run("rm", "-f", "app", "redis").code()).isZero();
            assertThat(pelagos.run("network", "rm", "itfront", "itback").out()).isEqualTo("itfront\nitback\n");
        } finally {
            // whatever failed above, the host keeps no bridge of this test
            pelagos.run("rm", "-f", "app", "redis");
            pelagos.run("network", "rm", "itfront", "itback");
        }
        assertThat(Path.of("/sys/class/net/rm-itfront")).doesNotExist();
        assertThat(Path.of("/sys/class/net/rm-itback")).doesNotExist();
        assertThat(pelagos.run("network", "inspect", "itfront").err()).startsWith("pelagos: error: network 'itfront' not found");
    }

    @Test
    void aRestartedContainerIsOnTheBridgeAgainEvenOverALeftNamespaceFile() {
        Pelagos.Result first = pelagos.run(bridge("--name", "again", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}'"));
        assertThat(first.out()).as(first.err()).matches("172\\.19\\.0\\.\\d+/24\n");
        // what a start that failed before its helper took the namespace leaves: a bound namespace file
        String id = JsonParser.parseString(pelagos.run("inspect", "again").out()).getAsJsonArray().get(0).getAsJsonObject()
                .get("Id").getAsString();
        try {
            dev.pelagos.sys.net.NetNamespace.create(Files.createDirectories(pelagos.runtimeDir().resolve("networks/netns")).resolve(id));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Pelagos.Result second = pelagos.run("start", "-a", "again");
        assertThat(second.out()).as("the same address again; %s", second.err()).isEqualTo(first.out());
        assertThat(pelagos.run("rm", "again").code()).isZero();
    }
}
