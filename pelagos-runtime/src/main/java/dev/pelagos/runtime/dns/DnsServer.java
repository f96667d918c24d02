package dev.pelagos.runtime.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * The name service of the bridge networks: on each network's gateway address (UDP), it answers A
 * queries for the names of the containers on that network (authoritative, TTL 10 s; other types
 * for a known name get an empty answer) and forwards other dotted names to the upstream resolvers,
 * in turn, answering SERVFAIL when none replies. One thread, one selector: each query costs a
 * parse and a map lookup, or one datagram each way for a forwarded one. The same over TCP
 * ({@link DnsTcp}) for answers too long for a datagram.
 */
public final class DnsServer implements AutoCloseable {
    static final int TTL_SECONDS = 10;
    /** A name a stopped container had answers for at most this long after it stopped. */
    private static final long FRESH_NANOS = 1_000_000_000L;
    /** An unknown name makes a new scan, but not more often than this (a client retrying a typo). */
    private static final long RESCAN_NANOS = 50_000_000L;
    private static final long TICK_MILLIS = 1000;
    private static final long UPSTREAM_TIMEOUT_NANOS = 2_000_000_000L;
    private static final int MAX_PENDING = 1024;
    private static final System.Logger LOG = System.getLogger(DnsServer.class.getName());

    private final DnsZones.Source source;
    private final int port;
    private final List<InetSocketAddress> upstreams;
    private final Selector selector;
    private final DatagramChannel upstream;
    private final Map<Inet4Address, DatagramChannel> listeners = new HashMap<>();
    private final Map<Inet4Address, ServerSocketChannel> tcpListeners = new HashMap<>();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(65535);
    private final Map<Inet4Address, Pin> pins = new HashMap<>();
    private DnsZones scanned = new DnsZones(Map.of(), false);
    /** Read by the TCP exchanges' threads as well: replaced whole, never changed. */
    private volatile DnsZones zones = scanned;
    private long scannedAt = Long.MIN_VALUE / 2;
    /** When a starter last asked: a scan older than that may not know its container yet. */
    private long askedAt = Long.MIN_VALUE / 2;

    /** What a TCP listener's selection key carries: the network it serves. */
    private record TcpGateway(Inet4Address gateway) {
    }

    /** A network served before any scan shows a container on it, until {@code until}. */
    private record Pin(DnsZone zone, long until) {
    }

    /** A forwarded query waiting for its answer. */
    private record Pending(DatagramChannel listener, SocketAddress client, DnsMessage query, List<InetSocketAddress> upstreams,
            int attempt, long deadline) {
    }

    /**
     * @param port      53, or another for tests
     * @param upstreams where other names are asked, in order
     */
    public DnsServer(DnsZones.Source source, int port, List<InetSocketAddress> upstreams) throws IOException {
        this.source = source;
        this.port = port;
        this.upstreams = List.copyOf(upstreams);
        this.selector = Selector.open();
        this.upstream = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        upstream.bind(null).configureBlocking(false).register(selector, SelectionKey.OP_READ, null);
    }

    /**
     * Serves a network for a while even though no scan shows a container on it yet: the starter of
     * a container knows its network before the container is far enough along to be seen.
     */
    public void pin(String network, Inet4Address gateway, int prefixLength, long nanos) {
        pins.put(gateway, new Pin(new DnsZone(network, gateway, prefixLength, Map.of()), System.nanoTime() + nanos));
    }

    /** Scans the zones now and listens on exactly their gateways (a gateway whose bridge is not up yet is tried again later). */
    public DnsZones refresh() {
        scanned = source.scan();
        scannedAt = System.nanoTime();
        return applyPins();
    }

    /** The last scan with the pinned networks added, listened on exactly (no new scan: a starter is waiting). */
    private DnsZones applyPins() {
        long now = System.nanoTime();
        pins.values().removeIf(p -> now - p.until() >= 0);
        Map<Inet4Address, DnsZone> merged = new HashMap<>(scanned.byGateway());
        pins.forEach((gw, p) -> merged.putIfAbsent(gw, p.zone()));
        zones = new DnsZones(merged, scanned.networksOf(), scanned.upstreamsOf(), scanned.busy() || !pins.isEmpty());
        for (Iterator<Map.Entry<Inet4Address, DatagramChannel>> it = listeners.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Inet4Address, DatagramChannel> e = it.next();
            if (!zones.byGateway().containsKey(e.getKey())) {
                closeQuietly(e.getValue());
                closeQuietly(tcpListeners.remove(e.getKey()));
                it.remove();
            }
        }
        for (Inet4Address gateway : zones.byGateway().keySet()) {
            if (!listeners.containsKey(gateway)) {
                listen(gateway);
            }
        }
        return zones;
    }

    /** Listens on a gateway, UDP and TCP, or on neither (tried again at the next look). */
    private void listen(Inet4Address gateway) {
        DatagramChannel udp = null;
        ServerSocketChannel tcp = null;
        try {
            udp = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
            udp.bind(new InetSocketAddress(gateway, port)).configureBlocking(false);
            tcp = ServerSocketChannel.open(java.net.StandardProtocolFamily.INET);
            tcp.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            tcp.bind(new InetSocketAddress(gateway, ((InetSocketAddress) udp.getLocalAddress()).getPort())).configureBlocking(false);
            udp.register(selector, SelectionKey.OP_READ, gateway);
            tcp.register(selector, SelectionKey.OP_ACCEPT, new TcpGateway(gateway));
            listeners.put(gateway, udp);
            tcpListeners.put(gateway, tcp);
        } catch (IOException e) {
            closeQuietly(udp);
            closeQuietly(tcp);
            LOG.log(System.Logger.Level.DEBUG, "cannot listen on " + gateway.getHostAddress() + ":" + port + " yet: " + e.getMessage());
        }
    }

    /** Where it listens for a network's queries, or null when it does not (yet). */
    public InetSocketAddress listening(Inet4Address gateway) throws IOException {
        DatagramChannel ch = listeners.get(gateway);
        return ch == null ? null : (InetSocketAddress) ch.getLocalAddress();
    }

    /**
     * Serves until a scan finds no container on any bridge and {@code stopWhenIdle} then agrees
     * (it may look again itself: a container may be starting at that very moment). Requests on
     * {@code control} (may be null) ask it to serve networks now: see {@link ServeRequest}.
     */
    public void serve(BooleanSupplier stopWhenIdle, ServerSocketChannel control) throws IOException {
        if (control != null) {
            control.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT, control);
        }
        try {
            long nextTick = System.nanoTime() + TICK_MILLIS * 1_000_000L;
            while (true) {
                long now = System.nanoTime();
                long wait = nextTick - now;
                for (Pending p : pending.values()) {
                    wait = Math.min(wait, p.deadline() - now);
                }
                selector.select(Math.max(1, wait / 1_000_000L));
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isValid() && key.isAcceptable() && key.attachment() instanceof TcpGateway t) {
                        SocketChannel client = ((ServerSocketChannel) key.channel()).accept();
                        if (client != null) {
                            DnsTcp.accept(client, t.gateway(), this);
                        }
                    } else if (key.isValid() && key.isAcceptable()) {
                        serveRequest(((ServerSocketChannel) key.channel()).accept());
                    } else if (key.isValid() && key.isReadable()) {
                        if (key.attachment() instanceof Inet4Address gateway) {
                            receiveQuery((DatagramChannel) key.channel(), gateway);
                        } else {
                            receiveUpstreamAnswer();
                        }
                    }
                }
                expirePending();
                if (System.nanoTime() - nextTick >= 0) {
                    nextTick = System.nanoTime() + TICK_MILLIS * 1_000_000L;
                    if (!refresh().busy() && stopWhenIdle.getAsBoolean()) {
                        return;
                    }
                }
            }
        } catch (java.nio.channels.ClosedSelectorException | java.nio.channels.ClosedChannelException e) {
            // closed by another thread: serving ends
        }
    }

    /** How long a network asked for is served without a scan showing a container on it. */
    private static final long ASKED_NANOS = 5_000_000_000L;
    private static final int REQUEST_TIMEOUT_MILLIS = 2000;

    /**
     * One request: "serve NETWORK=GATEWAY/PREFIX ...", answered "ok" once it has tried to listen on
     * them ("error" for a malformed one). A gateway it cannot listen on yet (another runtime
     * directory's server has not let go of it) is tried again at each scan.
     */
    private void serveRequest(SocketChannel ch) {
        if (ch == null) {
            return;
        }
        try (ch) {
            ByteBuffer in = ByteBuffer.allocate(4096);
            // a client that sends nothing must not hold up the queries: read with a deadline
            try (Selector one = Selector.open()) {
                ch.configureBlocking(false).register(one, SelectionKey.OP_READ);
                long deadline = System.nanoTime() + REQUEST_TIMEOUT_MILLIS * 1_000_000L;
                while (in.hasRemaining() && indexOfNewline(in) < 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0 || one.select(left) == 0) {
                        return;
                    }
                    one.selectedKeys().clear();
                    if (ch.read(in) < 0) {
                        break;
                    }
                }
            }
            ch.configureBlocking(true);
            ServeRequest.Parsed asked = ServeRequest.parse(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            if (asked != null) {
                for (ServeRequest.Network n : asked.networks()) {
                    pin(n.name(), n.gateway(), n.prefixLength(), ASKED_NANOS);
                }
                // the names come with the next scan: the first query for an unknown name makes one
                askedAt = System.nanoTime();
                applyPins();
            }
            ch.write(ByteBuffer.wrap(ServeRequest.answer(asked != null && asked.wellFormed())));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "a request failed: " + e.getMessage());
        }
    }

    /** Where the first newline is in what was read so far, or -1. */
    private static int indexOfNewline(ByteBuffer b) {
        for (int i = 0; i < b.position(); i++) {
            if (b.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void receiveQuery(DatagramChannel ch, Inet4Address gateway) throws IOException {
        buffer.clear();
        SocketAddress from = ch.receive(buffer);
        if (from == null) {
            return;
        }
        byte[] data = new byte[buffer.position()];
        buffer.flip().get(data);
        byte[] reply = answer(gateway, from, data);
        if (reply != null) {
            send(ch, reply, from);
        }
    }

    /** The reply to a query that arrived on {@code gateway}; null when it is forwarded (or not answered at all). */
    byte[] answer(Inet4Address gateway, SocketAddress from, byte[] data) throws IOException {
        Decision d = decide(gateway, from, data, true);
        if (d instanceof Decision.Forward f) {
            if (pending.size() >= MAX_PENDING) {
                return f.query().error(DnsMessage.SERVFAIL);
            }
            forward(new Pending(listeners.get(gateway), from, f.query(), f.upstreams(), 0, 0));
            return null;
        }
        return ((Decision.Reply) d).bytes();
    }

    /**
     * Whether the last look may be wrong about an answer: a container started since (it may have an
     * address a stopped one had), a name not known (yet), or a known one looked up long enough ago
     * that its container may have stopped.
     */
    private boolean stale(boolean known) {
        long age = System.nanoTime() - scannedAt;
        return scannedAt - askedAt < 0 || (known ? age > FRESH_NANOS : age > RESCAN_NANOS);
    }

    /** What to do with a query: answer it ({@code bytes} null: say nothing), or ask upstream resolvers. */
    sealed interface Decision {
        record Reply(byte[] bytes) implements Decision {
        }

        record Forward(DnsMessage query, List<InetSocketAddress> upstreams) implements Decision {
        }
    }

    /**
     * The answer to a query from {@code from} on {@code gateway}'s network. {@code mayScan}: it may
     * look at the containers again (the selector thread only); otherwise the last look serves.
     */
    Decision decide(Inet4Address gateway, SocketAddress from, byte[] data, boolean mayScan) {
        DnsMessage q;
        try {
            q = DnsMessage.parseQuery(data, data.length);
        } catch (DnsMessage.Malformed e) {
            return new Decision.Reply(DnsMessage.unreadable(data, data.length));
        }
        DnsZones now = zones;
        DnsZone zone = now.byGateway().get(gateway);
        if (zone == null || !(from instanceof InetSocketAddress isa && isa.getAddress() instanceof Inet4Address src)
                || !zone.contains(src)) {
            return new Decision.Reply(q.error(DnsMessage.REFUSED)); // another network's names are not this one's to know
        }
        if (q.opcode() != 0) {
            return new Decision.Reply(q.error(DnsMessage.NOTIMP));
        }
        Inet4Address reversed = q.type() == DnsMessage.TYPE_PTR ? DnsMessage.reverseAddress(q.name()) : null;
        if (reversed != null && now.isOurs(reversed)) {
            // a container's address: its name, or none; the world's resolvers know nothing of these subnets
            String name = now.nameAt(gateway, src, reversed);
            if (mayScan && stale(name != null)) {
                now = refresh();
                name = now.nameAt(gateway, src, reversed);
            }
            return new Decision.Reply(name != null ? q.answerPointer(name, TTL_SECONDS) : q.error(DnsMessage.NXDOMAIN));
        }
        List<Inet4Address> addresses = now.lookup(gateway, src, q.name());
        if (mayScan && stale(addresses != null)) {
            now = refresh();
            addresses = now.lookup(gateway, src, q.name());
        }
        if (addresses != null) {
            return new Decision.Reply(q.answer(addresses, TTL_SECONDS));
        }
        List<InetSocketAddress> asked = now.upstreamsOf().getOrDefault(src, upstreams);
        if (!q.name().contains(".") || asked.isEmpty()) {
            // a single label is a container's name or nothing: the world's resolvers have no say in it
            return new Decision.Reply(q.error(asked.isEmpty() && q.name().contains(".") ? DnsMessage.SERVFAIL : DnsMessage.NXDOMAIN));
        }
        return new Decision.Forward(q, asked);
    }

    private void forward(Pending p) throws IOException {
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(0x10000);
        } while (pending.containsKey(id));
        byte[] out = p.query().raw().clone();
        DnsMessage.setId(out, id);
        pending.put(id, new Pending(p.listener(), p.client(), p.query(), p.upstreams(), p.attempt(),
                System.nanoTime() + UPSTREAM_TIMEOUT_NANOS));
        send(upstream, out, p.upstreams().get(p.attempt()));
    }

    private void receiveUpstreamAnswer() throws IOException {
        buffer.clear();
        SocketAddress from = upstream.receive(buffer);
        if (from == null || buffer.position() < 12) {
            return;
        }
        byte[] data = new byte[buffer.position()];
        buffer.flip().get(data);
        int id = DnsMessage.idOf(data);
        Pending p = pending.get(id);
        if (p == null || !from.equals(p.upstreams().get(p.attempt()))) {
            return; // late, or not from whom it was asked of: a spoofing attempt gets nothing
        }
        pending.remove(id);
        DnsMessage.setId(data, p.query().id());
        if (p.listener() != null && p.listener().isOpen()) {
            send(p.listener(), data, p.client());
        }
    }

    private void expirePending() throws IOException {
        long now = System.nanoTime();
        List<Pending> late = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.deadline() >= 0) {
                it.remove();
                late.add(p);
            }
        }
        for (Pending p : late) {
            if (p.attempt() + 1 < p.upstreams().size()) {
                forward(new Pending(p.listener(), p.client(), p.query(), p.upstreams(), p.attempt() + 1, 0));
            } else if (p.listener() != null && p.listener().isOpen()) {
                send(p.listener(), p.query().error(DnsMessage.SERVFAIL), p.client());
            }
        }
    }

    private static void send(DatagramChannel ch, byte[] data, SocketAddress to) {
        try {
            ch.send(ByteBuffer.wrap(data), to);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot send to " + to + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        listeners.values().forEach(DnsServer::closeQuietly);
        listeners.clear();
        tcpListeners.values().forEach(DnsServer::closeQuietly);
        tcpListeners.clear();
        upstream.close();
        selector.close();
    }
}
