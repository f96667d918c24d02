package dev.pelagos.runtime.dns;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the name service serves at one moment: a zone per bridge network that has containers, by
 * gateway address; for each container address, the gateways of all that container's networks (a
 * container on two networks finds the names of both, as with Docker) and the resolvers it asks
 * about other names when it has its own ({@code --dns}); {@code busy} while any
 * container on a bridge is being made or runs (the service ends when none is).
 */
public record DnsZones(Map<Inet4Address, DnsZone> byGateway, Map<Inet4Address, List<Inet4Address>> networksOf,
        Map<Inet4Address, List<InetSocketAddress>> upstreamsOf, boolean busy) {
    public DnsZones {
        byGateway = Map.copyOf(byGateway);
        networksOf = Map.copyOf(networksOf);
        upstreamsOf = Map.copyOf(upstreamsOf);
    }

    public DnsZones(Map<Inet4Address, DnsZone> byGateway, boolean busy) {
        this(byGateway, Map.of(), Map.of(), busy);
    }

    /**
     * For a reverse (PTR) query from {@code source} on {@code gateway}: the name of the container at
     * {@code address} on one of the asker's networks; null when none is there.
     */
    public String nameAt(Inet4Address gateway, Inet4Address source, Inet4Address address) {
        for (DnsZone z : asked(gateway, source)) {
            String name = z.reverse().get(address);
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    /** Whether {@code address} is on one of the served networks (its reverse lookups are never asked upstream). */
    public boolean isOurs(Inet4Address address) {
        return byGateway.values().stream().anyMatch(z -> z.contains(address));
    }

    /**
     * The addresses of {@code name} for a query from {@code source} that arrived on {@code gateway}:
     * that network's first, then those of the asking container's other networks; null when unknown.
     */
    public List<Inet4Address> lookup(Inet4Address gateway, Inet4Address source, String name) {
        for (DnsZone z : asked(gateway, source)) {
            List<Inet4Address> found = z.names().get(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The zones a query from {@code source} on {@code gateway} may learn from: that network's, then the asker's others. */
    private List<DnsZone> asked(Inet4Address gateway, Inet4Address source) {
        List<DnsZone> out = new ArrayList<>();
        for (Inet4Address g : networksOf.getOrDefault(source, List.of())) {
            DnsZone z = byGateway.get(g);
            if (z != null && !g.equals(gateway)) {
                out.add(z);
            }
        }
        DnsZone here = byGateway.get(gateway);
        if (here != null) {
            out.addFirst(here);
        }
        return out;
    }

    /** Reads the zones as they are now. */
    @FunctionalInterface
    public interface Source {
        DnsZones scan();
    }
}
