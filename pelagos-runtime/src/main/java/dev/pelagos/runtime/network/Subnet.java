package dev.pelagos.runtime.network;

import dev.pelagos.base.PelagosException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 subnet, "A.B.C.D/N": its network address (host bits cleared) and prefix length. */
public record Subnet(Inet4Address network, int prefixLength) {
    public Subnet {
        if (prefixLength < 8 || prefixLength > 30) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not 8..30");
        }
        network = toAddress(toInt(network) & mask(prefixLength));
    }

    static int mask(int prefixLength) {
        return (int) (0xffffffffL << (32 - prefixLength));
    }

    static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static Inet4Address toAddress(int v) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses "A.B.C.D/N" (host bits are cleared: 10.0.0.7/24 is 10.0.0.0/24); prefixes 8..30 leave room for hosts. */
    public static Subnet parse(String cidr) throws PelagosException {
        int slash = cidr.indexOf('/');
        String[] parts = slash < 0 ? new String[0] : cidr.substring(0, slash).split("\\.", -1);
        if (slash < 0 || parts.length != 4) {
            throw bad(cidr, "expected ADDR/LEN, e.g. 10.88.1.0/24");
        }
        int v = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                throw bad(cidr, "expected ADDR/LEN, e.g. 10.88.1.0/24");
            }
            v = v << 8 | Integer.parseInt(p);
        }
        String len = cidr.substring(slash + 1);
        if (!len.matches("\\d{1,2}") || Integer.parseInt(len) > 32) {
            throw bad(cidr, "the prefix length must be 0..32");
        }
        int prefix = Integer.parseInt(len);
        if (prefix < 8 || prefix > 30) {
            throw bad(cidr, "a network needs a prefix length of 8..30 (room for a gateway and containers)");
        }
        return new Subnet(toAddress(v), prefix);
    }

    private static PelagosException bad(String cidr, String why) {
        return PelagosException.invalid("invalid CIDR '" + cidr + "': " + why, "give the subnet as ADDR/LEN, e.g. --subnet 10.88.1.0/24");
    }

    /** The first host address, the bridge's. */
    public Inet4Address gateway() {
        return toAddress(toInt(network) + 1);
    }

    public boolean overlaps(Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (toInt(network) & mask(shorter)) == (toInt(other.network) & mask(shorter));
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
