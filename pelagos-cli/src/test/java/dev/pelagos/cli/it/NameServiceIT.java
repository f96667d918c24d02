package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cli.it.lifecycle.HostView;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers on a bridge network find each other by name: the name service on the network's
 * gateway answers the names (and short ids) of the containers running on that network and of no
 * other, forgets a container that stops, asks the upstream resolvers about other names (here a
 * stand-in on the host's loopback: no query leaves the host), and ends once no container is on a
 * bridge. A failure means the seed's web tier cannot reach "db" by name, or one network learns
 * another's names.
 */
class NameServiceIT {
    private static final String FRONT = "itdnsfront";
    private static final String BACK = "itdnsback";
    @TempDir
    static Path tmp;
    private static NetworkTestbed bed;
    private static Pelagos pelagos;
    private static DatagramSocket upstream;
    private static final List<String> ASKED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        bed = NetworkTestbed.open(tmp, FRONT + "=10.253.81.0/24", BACK + "=10.253.82.0/24");
        upstream = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(NameServiceIT::answerEverythingWithOneAddress);
        pelagos = bed.pelagos().dnsUpstreams("127.0.0.1:" + upstream.getLocalPort());
    }

    /** The stand-in upstream: every A query it gets is answered 192.0.2.77 (and noted). */
    private static void answerEverythingWithOneAddress() {
        try {
            while (true) {
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                upstream.receive(p);
                StringBuilder name = new StringBuilder();
                int at = 12;
                while (p.getData()[at] != 0) {
                    int len = p.getData()[at];
                    name.append(name.isEmpty() ? "" : ".").append(new String(p.getData(), at + 1, len));
                    at += 1 + len;
                }
                ASKED.add(name.toString());
                int end = at + 5;
                ByteBuffer r = ByteBuffer.allocate(end + 16);
                r.put(p.getData(), 0, end);
                r.putShort(2, (short) 0x8180).putShort(6, (short) 1);
                r.position(end);
                r.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4)
                        .put(new byte[] {(byte) 192, 0, 2, 77});
                upstream.send(new DatagramPacket(r.array(), r.capacity(), p.getSocketAddress()));
            }
        } catch (Exception e) {
            // the socket is closed at the end
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (bed == null) {
            return;
        }
        bed.close();
        upstream.close();
    }

    private static String bb() {
        return Pelagos.busyboxRootfs().toString();
    }

    private static Pelagos.Result on(String network, String... cmd) {
        List<String> argv = new ArrayList<>(List.of("run", "--rm", "--network", network, "--rootfs", bb()));
        argv.addAll(List.of(cmd));
        return pelagos.run(argv);
    }

    /** An A query over TCP (what a resolver does after a truncated answer); the first address of the answer. */
    private static String askOverTcp(String server, String name) throws Exception {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(server, 53), 2000);
            s.setSoTimeout(5000);
            java.io.ByteArrayOutputStream q = new java.io.ByteArrayOutputStream();
            q.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
            for (String label : name.split("\\.")) {
                q.write(label.length());
                q.writeBytes(label.getBytes());
            }
            q.writeBytes(new byte[] {0, 0, 1, 0, 1});
            var out = new java.io.DataOutputStream(s.getOutputStream());
            out.writeShort(q.size());
            out.write(q.toByteArray());
            out.flush();
            var in = new java.io.DataInputStream(s.getInputStream());
            byte[] r = in.readNBytes(in.readUnsignedShort());
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(r, r.length - 4, r.length)).getHostAddress();
        }
    }

    private static String addressOf(String name) {
        return pelagos.run("inspect", "--format", "{{.NetworkSettings.IPAddress}}", name).line();
    }

    @Test
    void containersOnANetworkFindEachOtherByNameAndShortIdAndNoOtherNetworkDoes() throws Exception {
        Pelagos.Result db = pelagos.run("run", "-d", "--name", "itdb", "--network", FRONT, "--rootfs", bb(), "sleep", "120");
        assertThat(db.code()).as(db.err()).isZero();
        String ip = addressOf("itdb");
        assertThat(ip).startsWith("10.253.81.");

        Pelagos.Result resolv = on(FRONT, "cat", "/etc/resolv.conf");
        assertThat(resolv.out()).startsWith("nameserver 10.253.81.1\n");
        Pelagos.Result byName = on(FRONT, "nslookup", "itdb");
        assertThat(byName.out()).as(byName.err()).contains("Name:\titdb\nAddress: " + ip);
        Pelagos.Result byId = on(FRONT, "nslookup", db.line().substring(0, 12));
        assertThat(byId.out()).as(byId.err()).contains("Address: " + ip);
        Pelagos.Result upper = on(FRONT, "nslookup", "ITDB");
        assertThat(upper.out()).as("names are case-insensitive").contains("Address: " + ip);

        assertThat(askOverTcp("10.253.81.1", "itdb")).as("over TCP, from the host").isEqualTo(ip);
        Pelagos.Result reverse = on(FRONT, "nslookup", ip);
        assertThat(reverse.out()).as(reverse.err()).contains("name = itdb");

        Pelagos.Result other = on(BACK, "nslookup", "itdb");
        assertThat(other.out() + other.err()).as("another network's names are unknown there").contains("NXDOMAIN");
        Pelagos.Result sneaking = on(BACK, "nslookup", "itdb", "10.253.81.1");
        assertThat(sneaking.out() + sneaking.err()).as("asking the other network's gateway").doesNotContain("Address: " + ip);
        assertThat(pelagos.run("rm", "-f", "itdb").code()).isZero();
    }

    /** The seed's web tier: on the front and back networks, it finds the store that is on back only. */
    @Test
    void aContainerOnTwoNetworksFindsTheNamesOfBoth() {
        assertThat(pelagos.run("run", "-d", "--name", "itstore", "--network", BACK, "--rootfs", bb(), "httpd", "-f", "-p", "6379", "-h", "/etc")
                .code()).isZero();
        // httpd may still be starting: a few tries
        Pelagos.Result both = pelagos.run("run", "--rm", "--network", FRONT, "--network", BACK, "--rootfs", bb(), "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://itstore:6379/hostname && exit; sleep 0.2; done; exit 1");
        assertThat(both.out()).as(both.err()).isEqualTo(pelagos.run("exec", "itstore", "hostname").out());
        Pelagos.Result frontOnly = on(FRONT, "nslookup", "itstore");
        assertThat(frontOnly.out() + frontOnly.err()).contains("NXDOMAIN");
        assertThat(pelagos.run("rm", "-f", "itstore").code()).isZero();
    }

    /** Compose's service names: a container answers to its aliases too; --add-host and --dns-search reach its files. */
    @Test
    void aliasesAddedHostsAndSearchDomains() {
        Pelagos.Result r = pelagos.run("run", "-d", "--name", "itcache", "--network", FRONT, "--network-alias", "cache",
                "--network-alias", "redis", "--rootfs", bb(), "sleep", "120");
        assertThat(r.code()).as(r.err()).isZero();
        String ip = addressOf("itcache");
        assertThat(pelagos.run("inspect", "-f", "{{json .NetworkSettings.Networks." + FRONT + ".Aliases}}", "itcache").line())
                .isEqualTo("[\"cache\",\"redis\"]");
        Pelagos.Result byAlias = on(FRONT, "sh", "-c", "nslookup cache; nslookup redis");
        assertThat(byAlias.out()).as(byAlias.err()).contains("Name:\tcache\nAddress: " + ip).contains("Name:\tredis\nAddress: " + ip);
        Pelagos.Result files = pelagos.run("run", "--rm", "--network", FRONT, "--add-host", "host.docker.internal:host-gateway",
                "--add-host", "db.local:10.9.8.7", "--dns-search", "corp.example", "--dns-option", "ndots:1", "--rootfs", bb(),
                "sh", "-c", "grep -E 'host.docker|db.local' /etc/hosts; cat /etc/resolv.conf");
        assertThat(files.out()).as(files.err()).isEqualTo("10.253.81.1\thost.docker.internal\n10.9.8.7\tdb.local\n"
                + "nameserver 10.253.81.1\nsearch corp.example\noptions ndots:1\n");
        assertThat(pelagos.run("rm", "-f", "itcache").code()).isZero();
    }

    @Test
    void aStoppedContainerIsForgottenAndAStartedOneKnownAtOnce() {
        assertThat(pelagos.run("run", "-d", "--name", "itweb", "--network", FRONT, "--rootfs", bb(), "sleep", "120").code()).isZero();
        assertThat(on(FRONT, "nslookup", "itweb").out()).contains("Address: " + addressOf("itweb"));
        assertThat(pelagos.run("stop", "-t", "0", "itweb").code()).isZero();
        Pelagos.Result gone = on(FRONT, "sh", "-c", "sleep 1.2; nslookup itweb");
        assertThat(gone.out() + gone.err()).contains("NXDOMAIN");
        assertThat(pelagos.run("start", "itweb").code()).isZero();
        assertThat(on(FRONT, "nslookup", "itweb").out()).contains("Address: " + addressOf("itweb"));
        assertThat(pelagos.run("rm", "-f", "itweb").code()).isZero();
    }

    @Test
    void otherNamesAreAskedUpstreamAndSingleLabelsNever() {
        Pelagos.Result r = on(FRONT, "sh", "-c", "nslookup www.example.test; nslookup nosuchcontainer");
        assertThat(r.out()).contains("Address: 192.0.2.77").contains("NXDOMAIN");
        assertThat(ASKED).contains("www.example.test").doesNotContain("nosuchcontainer");
    }

    /** A name service killed outright (its lock goes with it, its socket file stays) is replaced by the next start. */
    @Test
    void aKilledServiceIsReplacedByTheNextStart() throws Exception {
        assertThat(pelagos.run("run", "-d", "--name", "itsurvivor", "--network", FRONT, "--rootfs", bb(), "sleep", "120").code()).isZero();
        Path pidFile = pelagos.runtimeDir().resolve("dns/pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
        assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor()).isZero();
        daemon.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        Pelagos.Result again = on(FRONT, "nslookup", "itsurvivor");
        assertThat(again.out()).as(again.err()).contains("Address: " + addressOf("itsurvivor"));
        assertThat(Long.parseLong(Files.readString(pidFile).strip())).as("a new daemon").isNotEqualTo(pid);
        assertThat(pelagos.run("rm", "-f", "itsurvivor").code()).isZero();
    }

    @Test
    void theServiceEndsOnceNoContainerIsOnABridge() throws Exception {
        assertThat(on(FRONT, "true").code()).isZero();
        Path pidFile = pelagos.runtimeDir().resolve("dns/pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(pid)).as("it runs while a container needs it").isPresent();
        pelagos.removeState();
        HostView.await("the name service to end", Duration.ofSeconds(20),
                () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true) && !Files.exists(pidFile));
    }
}
