package dev.pelagos.runtime.dns;

import java.net.Inet4Address;
import java.util.Map;

/**
 * What the name service serves at one moment: a zone per bridge network that has containers, by
 * gateway address; {@code busy} while any container on a bridge is being made or runs (the
 * service ends when none is).
 */
public record DnsZones(Map<Inet4Address, DnsZone> byGateway, boolean busy) {
    public DnsZones {
        byGateway = Map.copyOf(byGateway);
    }

    /** Reads the zones as they are now. */
    @FunctionalInterface
    public interface Source {
        DnsZones scan();
    }
}
