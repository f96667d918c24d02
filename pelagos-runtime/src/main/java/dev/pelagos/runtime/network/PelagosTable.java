package dev.pelagos.runtime.network;

import dev.pelagos.sys.Nftables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one nftables table of pelagos, {@code ip pelagos}: published ports ({@link PortForwards}),
 * outbound NAT and the isolation of bridge networks from each other ({@link NetworkNat}). It is
 * made on first use, whole, and then only its sets and maps change.
 */
final class PelagosTable {
    static final String NAME = "pelagos";

    /**
     * nat: published ports for connections to any local address, from outside (prerouting) or from
     * the host (output); masquerade for connections from 127.0.0.1 to a published port (the
     * container could not answer 127.0.0.1), for a container reaching a published port through
     * the host (hairpin: the answer must come back the same way), and for containers' traffic
     * leaving through a non-bridge interface (not the host talking to itself from a gateway
     * address, as it does asking the name service). filter: routed traffic between two bridges is
     * dropped (containers on different networks do not meet), except to a published port.
     */
    private static final String SETUP = """
            table ip pelagos {
              set bridges { type ifname; }
              set same_bridge { type ifname . ifname; }
              set subnets { type ipv4_addr; flags interval; }
              map tcp_any { type inet_service : ipv4_addr . inet_service; }
              map udp_any { type inet_service : ipv4_addr . inet_service; }
              map tcp_addr { type ipv4_addr . inet_service : ipv4_addr . inet_service; }
              map udp_addr { type ipv4_addr . inet_service : ipv4_addr . inet_service; }
              chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                fib daddr type local jump forwards
              }
              chain output {
                type nat hook output priority -100; policy accept;
                fib daddr type local jump forwards
              }
              chain forwards {
                dnat ip to ip daddr . tcp dport map @tcp_addr
                dnat ip to tcp dport map @tcp_any
                dnat ip to ip daddr . udp dport map @udp_addr
                dnat ip to udp dport map @udp_any
              }
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                ip saddr 127.0.0.0/8 ct status dnat masquerade
                ip saddr @subnets ct status dnat masquerade
                ip saddr @subnets oifname != @bridges oifname != "lo" masquerade
              }
              chain forward {
                type filter hook forward priority filter; policy accept;
                ct status dnat accept
                iifname . oifname @same_bridge accept
                iifname @bridges oifname @bridges drop
              }
            }
            """;

    private PelagosTable() {
    }

    /** Runs {@code commands} on the table, making it first when it is not there. */
    private static void run(Path jniLibrary, String commands) throws IOException {
        try {
            Nftables.run(jniLibrary, commands);
        } catch (IOException e) {
            if (exists(jniLibrary)) {
                throw e;
            }
            Nftables.run(jniLibrary, SETUP);
            Nftables.run(jniLibrary, commands);
        }
    }

    /** Adds set or map elements ("MAP { KEY : VALUE }"), in one batch. */
    static void add(Path jniLibrary, List<String> elements) throws IOException {
        StringBuilder cmd = new StringBuilder();
        elements.forEach(e -> cmd.append("add element ip ").append(NAME).append(' ').append(e).append('\n'));
        run(jniLibrary, cmd.toString());
    }

    /**
     * Deletes elements ("SET { KEY }"); those already gone (the table flushed, say) are passed
     * over: the batch fails whole then, so they are deleted one by one.
     */
    static void delete(Path jniLibrary, List<String> elements) {
        StringBuilder all = new StringBuilder();
        elements.forEach(e -> all.append("delete element ip ").append(NAME).append(' ').append(e).append('\n'));
        try {
            Nftables.run(jniLibrary, all.toString());
        } catch (IOException e) {
            for (String element : elements) {
                try {
                    Nftables.run(jniLibrary, "delete element ip " + NAME + " " + element);
                } catch (IOException gone) {
                    // nothing to remove
                }
            }
        }
    }

    private static boolean exists(Path jniLibrary) {
        try {
            Nftables.run(jniLibrary, "list table ip " + NAME);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
