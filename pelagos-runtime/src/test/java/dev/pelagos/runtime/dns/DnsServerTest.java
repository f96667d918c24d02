package dev.pelagos.runtime.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on loopback: 127.0.0.1 plays a network's gateway, a thread plays the upstream resolver. */
class DnsServerTest {
    private static final Inet4Address LOOPBACK = address("127.0.0.1");
    private final AtomicReference<DnsZones> zones = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Thread serving;

    static Inet4Address address(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DnsZones zone(Map<String, List<Inet4Address>> names) {
        return new DnsZones(Map.of(LOOPBACK, new DnsZone("front", LOOPBACK, 8, names)), true);
    }

    /** The starter's side of the control protocol, in Java (the product's goes through JNI). */
    static boolean askToServe(Path socket, byte[] request) {
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(request));
            ch.shutdownOutput();
            ByteBuffer reply = ByteBuffer.allocate(16);
            while (ch.read(reply) > 0) {
                // until the server closes
            }
            return ServeRequest.accepted(java.util.Arrays.copyOf(reply.array(), reply.position()));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    /** Starts a server on a free loopback port; returns where it listens. */
    private InetSocketAddress start(List<InetSocketAddress> upstreams) throws Exception {
        DnsServer server = new DnsServer(zones::get, freePort(), upstreams);
        closing.add(server);
        server.refresh();
        InetSocketAddress at = server.listening(LOOPBACK);
        assertThat(at).isNotNull();
        serve(server, null);
        return at;
    }

    private void serve(DnsServer server, ServerSocketChannel control) {
        serving = Thread.ofPlatform().daemon().start(() -> {
            try {
                server.serve(stop::get, control);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static byte[] ask(InetSocketAddress server, String name, int type) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(8000);
            byte[] q = DnsMessageTest.query(0x4242, name, type);
            s.send(new DatagramPacket(q, q.length, server));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            s.receive(p);
            byte[] r = java.util.Arrays.copyOf(p.getData(), p.getLength());
            assertThat(ByteBuffer.wrap(r).getShort(0)).as("the client's id").isEqualTo((short) 0x4242);
            return r;
        }
    }

    private static String firstAddress(byte[] reply, int questionLength) throws Exception {
        return InetAddress.getByAddress(java.util.Arrays.copyOfRange(reply, questionLength + 12, questionLength + 16)).getHostAddress();
    }

    @AfterEach
    void close() throws Exception {
        stop.set(true);
        zones.set(new DnsZones(Map.of(), false));
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (serving != null) {
            serving.join(5000);
            assertThat(serving.isAlive()).as("serving ends when the server is closed").isFalse();
        }
    }

    @Test
    void answersTheNamesOfItsNetworkAndNoneOther() throws Exception {
        zones.set(zone(Map.of("db", List.of(address("10.88.0.2")))));
        InetSocketAddress at = start(List.of());
        byte[] r = ask(at, "DB", DnsMessage.TYPE_A);
        assertThat(DnsMessageTest.rcode(r)).isZero();
        assertThat(firstAddress(r, DnsMessageTest.query(0, "DB", 1).length)).isEqualTo("10.88.0.2");
        assertThat(DnsMessageTest.rcode(ask(at, "web", DnsMessage.TYPE_A))).isEqualTo(DnsMessage.NXDOMAIN);
        assertThat(DnsMessageTest.rcode(ask(at, "example.com", DnsMessage.TYPE_A))).as("no upstream").isEqualTo(DnsMessage.SERVFAIL);
    }

    @Test
    void aContainerThatStartsIsFoundAtOnceAndOneThatStopsIsForgotten() throws Exception {
        zones.set(zone(Map.of()));
        InetSocketAddress at = start(List.of());
        Thread.sleep(60);
        zones.set(zone(Map.of("web", List.of(address("10.88.0.3")))));
        assertThat(DnsMessageTest.rcode(ask(at, "web", DnsMessage.TYPE_A))).as("a miss looks again").isZero();
        zones.set(zone(Map.of()));
        Thread.sleep(1100);
        assertThat(DnsMessageTest.rcode(ask(at, "web", DnsMessage.TYPE_A))).as("a hit older than a second looks again")
                .isEqualTo(DnsMessage.NXDOMAIN);
    }

    @Test
    void queriesFromOutsideTheNetworkAreRefused() throws Exception {
        zones.set(new DnsZones(Map.of(LOOPBACK, new DnsZone("front", LOOPBACK, 8, Map.of("db", List.of(address("10.88.0.2"))))), true));
        DnsServer server = new DnsServer(zones::get, 0, List.of());
        closing.add(server);
        server.refresh();
        byte[] q = DnsMessageTest.query(5, "db", DnsMessage.TYPE_A);
        assertThat(DnsMessageTest.rcode(server.answer(LOOPBACK, new InetSocketAddress("10.9.9.9", 4000), q)))
                .isEqualTo(DnsMessage.REFUSED);
        assertThat(DnsMessageTest.rcode(server.answer(LOOPBACK, new InetSocketAddress("127.0.0.1", 4000), q))).isZero();
    }

    /** A container on two networks finds the names of both; its neighbours on one find only that one's. */
    @Test
    void aContainerOnTwoNetworksFindsTheNamesOfBoth() throws Exception {
        Inet4Address backGateway = address("10.99.0.1");
        Inet4Address web = address("127.0.0.2");
        zones.set(new DnsZones(Map.of(LOOPBACK, new DnsZone("front", LOOPBACK, 8, Map.of("web", List.of(web))),
                backGateway, new DnsZone("back", backGateway, 24, Map.of("store", List.of(address("10.99.0.2"))))),
                Map.of(web, List.of(LOOPBACK, backGateway)), Map.of(), true));
        DnsServer server = new DnsServer(zones::get, 0, List.of());
        closing.add(server);
        server.refresh();
        byte[] q = DnsMessageTest.query(5, "store", DnsMessage.TYPE_A);
        assertThat(DnsMessageTest.rcode(server.answer(LOOPBACK, new InetSocketAddress(web, 4000), q))).isZero();
        assertThat(DnsMessageTest.rcode(server.answer(LOOPBACK, new InetSocketAddress("127.0.0.3", 4000), q)))
                .as("a container on front only").isEqualTo(DnsMessage.NXDOMAIN);
    }

    /** A stand-in resolver on loopback that answers every query with {@code address}. */
    private DatagramSocket resolver(String address) throws Exception {
        DatagramSocket socket = new DatagramSocket(0, LOOPBACK);
        closing.add(socket);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(new byte[512], 512);
                    socket.receive(p);
                    DnsMessage q = DnsMessage.parseQuery(p.getData(), p.getLength());
                    byte[] r = q.answer(List.of(address(address)), 300);
                    socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                }
            } catch (Exception e) {
                // closed at the end of the test
            }
        });
        return socket;
    }

    /** Reverse lookups of containers' addresses are answered with their names, and never asked upstream. */
    @Test
    void containersAddressesResolveBackToTheirNames() throws Exception {
        Inet4Address back = address("10.88.0.1");
        zones.set(new DnsZones(Map.of(LOOPBACK, new DnsZone("front", LOOPBACK, 8, Map.of()),
                back, new DnsZone("back", back, 24, Map.of("db", List.of(address("10.88.0.2"))), Map.of(address("10.88.0.2"), "db"))),
                Map.of(LOOPBACK, List.of(LOOPBACK, back)), Map.of(), true));
        DnsServer server = new DnsServer(zones::get, 0, List.of(new InetSocketAddress("127.0.0.1", 9)));
        closing.add(server);
        server.refresh();
        InetSocketAddress me = new InetSocketAddress(LOOPBACK, 4000);
        byte[] known = server.answer(LOOPBACK, me, DnsMessageTest.query(1, "2.0.88.10.in-addr.arpa", DnsMessage.TYPE_PTR));
        assertThat(DnsMessageTest.answers(known)).isEqualTo(1);
        assertThat(new String(known, java.nio.charset.StandardCharsets.US_ASCII)).endsWith("\u0002db\u0000");
        byte[] unknown = server.answer(LOOPBACK, me, DnsMessageTest.query(2, "9.0.88.10.in-addr.arpa", DnsMessage.TYPE_PTR));
        assertThat(DnsMessageTest.rcode(unknown)).as("ours, but nobody's: not asked upstream").isEqualTo(DnsMessage.NXDOMAIN);
        assertThat(server.answer(LOOPBACK, me, DnsMessageTest.query(3, "8.8.8.8.in-addr.arpa", DnsMessage.TYPE_PTR)))
                .as("the world's addresses are asked upstream").isNull();
    }

    @Test
    void otherNamesAreForwardedToTheFirstUpstreamThatAnswers() throws Exception {
        // the first upstream never answers; the second answers every query with 192.0.2.7
        DatagramSocket silent = new DatagramSocket(0, LOOPBACK);
        closing.add(silent);
        DatagramSocket upstream = resolver("192.0.2.7");
        zones.set(zone(Map.of()));
        InetSocketAddress at = start(List.of((InetSocketAddress) silent.getLocalSocketAddress(),
                (InetSocketAddress) upstream.getLocalSocketAddress()));
        byte[] r = ask(at, "www.example.org", DnsMessage.TYPE_A);
        assertThat(DnsMessageTest.rcode(r)).isZero();
        assertThat(firstAddress(r, DnsMessageTest.query(0, "www.example.org", 1).length)).isEqualTo("192.0.2.7");
        assertThat(DnsMessageTest.rcode(ask(at, "single", DnsMessage.TYPE_A))).as("a single label is never forwarded")
                .isEqualTo(DnsMessage.NXDOMAIN);
    }

    /** A container given its own resolvers (--dns) has other names asked of them, not of the host's. */
    @Test
    void aContainersOwnResolversAreAskedForIt() throws Exception {
        DatagramSocket hosts = resolver("192.0.2.1");
        DatagramSocket own = resolver("192.0.2.2");
        zones.set(new DnsZones(Map.of(LOOPBACK, new DnsZone("front", LOOPBACK, 8, Map.of())), Map.of(),
                Map.of(LOOPBACK, List.of((InetSocketAddress) own.getLocalSocketAddress())), true));
        InetSocketAddress at = start(List.of((InetSocketAddress) hosts.getLocalSocketAddress()));
        byte[] r = ask(at, "www.example.org", DnsMessage.TYPE_A);
        assertThat(firstAddress(r, DnsMessageTest.query(0, "www.example.org", 1).length)).isEqualTo("192.0.2.2");
    }

    private static byte[] askOverTcp(InetSocketAddress server, String name) throws Exception {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(server, 2000);
            s.setSoTimeout(8000);
            byte[] q = DnsMessageTest.query(0x4343, name, DnsMessage.TYPE_A);
            var out = new java.io.DataOutputStream(s.getOutputStream());
            out.writeShort(q.length);
            out.write(q);
            out.flush();
            var in = new java.io.DataInputStream(s.getInputStream());
            byte[] r = in.readNBytes(in.readUnsignedShort());
            assertThat(ByteBuffer.wrap(r).getShort(0)).as("the client's id").isEqualTo((short) 0x4343);
            return r;
        }
    }

    /** Over TCP (a resolver retries there after a truncated answer): containers' names, and other names asked upstream over TCP. */
    @Test
    void answersOverTcpToo() throws Exception {
        java.net.ServerSocket upstream = new java.net.ServerSocket(0, 5, LOOPBACK);
        closing.add(upstream);
        Thread.ofPlatform().daemon().start(() -> {
            try (java.net.Socket c = upstream.accept()) {
                var in = new java.io.DataInputStream(c.getInputStream());
                byte[] q = in.readNBytes(in.readUnsignedShort());
                byte[] r = DnsMessage.parseQuery(q, q.length).answer(List.of(address("192.0.2.9")), 300);
                var out = new java.io.DataOutputStream(c.getOutputStream());
                out.writeShort(r.length);
                out.write(r);
                out.flush();
            } catch (Exception e) {
                // closed at the end of the test
            }
        });
        zones.set(zone(Map.of("db", List.of(address("10.88.0.2")))));
        InetSocketAddress at = start(List.of(new InetSocketAddress(LOOPBACK, upstream.getLocalPort())));
        assertThat(firstAddress(askOverTcp(at, "db"), DnsMessageTest.query(0, "db", 1).length)).isEqualTo("10.88.0.2");
        assertThat(firstAddress(askOverTcp(at, "big.example.org"), DnsMessageTest.query(0, "big.example.org", 1).length))
                .isEqualTo("192.0.2.9");
        assertThat(DnsMessageTest.rcode(askOverTcp(at, "nothere"))).isEqualTo(DnsMessage.NXDOMAIN);
    }

    /** A container's starter asks on the control socket, and the answer comes once its network is listened on. */
    @Test
    void aStarterAsksForItsNetworkAndItIsServedWhenTheAnswerComes(@TempDir Path dir) throws Exception {
        zones.set(new DnsZones(Map.of(), false));
        int port = freePort();
        DnsServer server = new DnsServer(zones::get, port, List.of());
        closing.add(server);
        ServerSocketChannel control = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        closing.add(control);
        control.bind(UnixDomainSocketAddress.of(dir.resolve("control.sock")));
        byte[] front = ServeRequest.of(List.of(new ServeRequest.Network("front", LOOPBACK, 8)));
        assertThat(askToServe(dir.resolve("nobody.sock"), front)).as("no server there").isFalse();
        serve(server, control);
        assertThat(askToServe(dir.resolve("control.sock"), front)).isTrue();
        assertThat(DnsMessageTest.rcode(ask(new InetSocketAddress(LOOPBACK, port), "web", DnsMessage.TYPE_A)))
                .isEqualTo(DnsMessage.NXDOMAIN);
        assertThat(askToServe(dir.resolve("control.sock"),
                "serve front=not-an-address/8\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).as("malformed").isFalse();
    }

    @Test
    void aPinnedNetworkIsServedBeforeItsFirstContainerIsSeen() throws Exception {
        zones.set(new DnsZones(Map.of(), false));
        DnsServer server = new DnsServer(zones::get, 0, List.of());
        closing.add(server);
        server.pin("front", LOOPBACK, 8, 5_000_000_000L);
        assertThat(server.refresh().busy()).as("a pin keeps it going").isTrue();
        assertThat(server.listening(LOOPBACK)).isNotNull();
    }
}
