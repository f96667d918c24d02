package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One published port ({@code -p}, Docker's syntax): connections to {@code hostPort} on the host
 * (on every address, or only {@code hostIp}) reach {@code containerPort} of the container.
 *
 * @param hostIp the host address it is published on, or null for all of them (and 127.0.0.1)
 * @param hostPort 1-65535, or 0 for one the host picks when the container starts
 * @param protocol "tcp" or "udp"
 */
public record PortMapping(Inet4Address hostIp, int hostPort, int containerPort, String protocol) {
    public PortMapping {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol " + protocol);
        }
    }

    /** {@code [IP:][HOST:]CONTAINER[/tcp|/udp]}, as Docker's {@code -p}/{@code --publish}. */
    public static PortMapping parse(String spec) throws PelagosException {
        String s = spec;
        String protocol = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            protocol = s.substring(slash + 1);
            s = s.substring(0, slash);
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw bad(spec, "the protocol must be tcp or udp");
            }
        }
        String[] f = s.split(":", -1);
        if (f.length > 3) {
            throw bad(spec, "expected [IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL] (IPv4 only)");
        }
        Inet4Address ip = f.length == 3 ? address(spec, f[0]) : null;
        int container = port(spec, f[f.length - 1], false);
        int host = f.length >= 2 ? port(spec, f[f.length - 2], true) : 0;
        return new PortMapping(ip, host, container, protocol);
    }

    /** Back in {@code -p} syntax, which {@link #parse} reads again. */
    public String spec() {
        String host = hostPort == 0 ? "" : Integer.toString(hostPort);
        String prefix = hostIp != null ? hostIp.getHostAddress() + ":" + host + ":" : hostPort == 0 ? "" : host + ":";
        return prefix + containerPort + "/" + protocol;
    }

    /** "0.0.0.0:8080->80/tcp" (Docker's {@code ps} column). */
    public String describe() {
        return (hostIp == null ? "0.0.0.0" : hostIp.getHostAddress()) + ":" + hostPort + "->" + containerPort + "/" + protocol;
    }

    /** Whether both would take the same host port: the same protocol and port, and an address in common. */
    public boolean clashesWith(PortMapping o) {
        return protocol.equals(o.protocol) && hostPort == o.hostPort && (hostIp == null || o.hostIp == null || hostIp.equals(o.hostIp));
    }

    private static int port(String spec, String s, boolean hostSide) throws PelagosException {
        if (hostSide && s.isEmpty()) {
            return 0; // "IP::80": a port the host picks
        }
        if (s.contains("-")) {
            throw bad(spec, "port ranges are not supported; publish each port with its own -p");
        }
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw bad(spec, "'" + s + "' is not a port (1-65535)");
    }

    private static Inet4Address address(String spec, String s) throws PelagosException {
        if (s.isEmpty() || !s.matches("[0-9.]+")) {
            throw bad(spec, "'" + s + "' is not an IPv4 address");
        }
        try {
            InetAddress a = InetAddress.getByName(s); // a literal: no lookup
            if (a instanceof Inet4Address v4) {
                return v4.isAnyLocalAddress() ? null : v4;
            }
        } catch (UnknownHostException e) {
            // said below
        }
        throw bad(spec, "'" + s + "' is not an IPv4 address");
    }

    private static PelagosException bad(String spec, String why) {
        return PelagosException.invalid("invalid --publish '" + spec + "': " + why, "e.g. -p 8080:80, -p 127.0.0.1:8080:80/tcp, -p 53:53/udp");
    }
}
