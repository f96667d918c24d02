package dev.pelagos.runtime.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Semaphore;

/**
 * DNS over TCP (RFC 7766) on a network's gateway, for resolvers that retry there when a UDP answer
 * was truncated: each connection on a virtual thread of its own, queries answered as over UDP
 * (from the last look at the containers) and other names asked of the upstream resolvers over TCP.
 */
final class DnsTcp {
    private static final int TIMEOUT_MILLIS = 5000;
    /** Connections served at once; more are closed at once (a resolver falls back or retries). */
    private static final Semaphore SLOTS = new Semaphore(64);
    private static final System.Logger LOG = System.getLogger(DnsTcp.class.getName());

    private DnsTcp() {
    }

    /** Serves a connection that arrived on {@code gateway}'s listener. */
    static void accept(SocketChannel client, Inet4Address gateway, DnsServer server) {
        if (!SLOTS.tryAcquire()) {
            close(client);
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                exchange(client, gateway, server);
            } finally {
                SLOTS.release();
            }
        });
    }

    private static void exchange(SocketChannel client, Inet4Address gateway, DnsServer server) {
        try (client) {
            client.configureBlocking(true);
            Socket socket = client.socket();
            socket.setSoTimeout(TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) { // a client may send several queries on one connection
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException done) {
                    return;
                }
                byte[] query = in.readNBytes(length);
                if (query.length < length) {
                    return;
                }
                DnsServer.Decision d = server.decide(gateway, client.getRemoteAddress(), query, false);
                byte[] reply = d instanceof DnsServer.Decision.Forward f ? askUpstream(f) : ((DnsServer.Decision.Reply) d).bytes();
                if (reply == null) {
                    return;
                }
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "a TCP exchange ended: " + e.getMessage());
        }
    }

    /** The first upstream answer over TCP, or SERVFAIL when none answers. */
    private static byte[] askUpstream(DnsServer.Decision.Forward f) {
        for (InetSocketAddress upstream : f.upstreams()) {
            try (Socket s = new Socket()) {
                s.connect(upstream, TIMEOUT_MILLIS);
                s.setSoTimeout(TIMEOUT_MILLIS);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(f.query().raw().length);
                out.write(f.query().raw());
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                int length = in.readUnsignedShort();
                byte[] reply = in.readNBytes(length);
                if (reply.length == length && length >= 12 && DnsMessage.idOf(reply) == f.query().id()) {
                    return reply;
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "upstream " + upstream + " over TCP: " + e.getMessage());
            }
        }
        return f.query().error(DnsMessage.SERVFAIL);
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close: " + e.getMessage());
        }
    }
}
