package dev.pelagos.runtime.dns;

import java.net.Inet4Address;
import java.util.List;
import java.util.Map;

/**
 * The names one bridge network answers for, on its gateway address: those of the containers
 * running on it. Queries come only from the network's own subnet.
 *
 * @param names   lower-case name to addresses (a name two containers share gives both)
 * @param reverse address to the name of the container holding it (PTR answers)
 */
public record DnsZone(String network, Inet4Address gateway, int prefixLength, Map<String, List<Inet4Address>> names,
        Map<Inet4Address, String> reverse) {
    public DnsZone {
        names = Map.copyOf(names);
        reverse = Map.copyOf(reverse);
    }

    public DnsZone(String network, Inet4Address gateway, int prefixLength, Map<String, List<Inet4Address>> names) {
        this(network, gateway, prefixLength, names, Map.of());
    }

    /** Whether {@code source} is on this network (the host asking from the gateway address is). */
    public boolean contains(Inet4Address source) {
        int mask = (int) (0xffffffffL << (32 - prefixLength));
        return (toInt(source) & mask) == (toInt(gateway) & mask);
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
