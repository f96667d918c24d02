package dev.pelagos.runtime.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The resolvers the name service asks about names that are not containers'. */
public final class Upstreams {
    /** Comma-separated {@code ADDRESS[:PORT]} upstreams, instead of the host's /etc/resolv.conf nameservers. */
    public static final String ENV = "PELAGOS_DNS_UPSTREAMS";

    private Upstreams() {
    }

    /**
     * {@value #ENV} when set, else the host's IPv4 nameservers (the service runs in the host's
     * namespace, so loopback ones work too), else Google's and Cloudflare's.
     */
    public static List<InetSocketAddress> fromEnvironmentOrHost() throws IOException {
        String env = System.getenv(ENV);
        if (env != null) {
            List<InetSocketAddress> out = new ArrayList<>();
            for (String s : env.split(",")) {
                if (!s.isBlank()) {
                    out.add(parse(s.strip()));
                }
            }
            return out;
        }
        Path resolv = Path.of("/etc/resolv.conf");
        List<InetSocketAddress> out = fromResolvConf(Files.isReadable(resolv) ? Files.readString(resolv, StandardCharsets.UTF_8) : "");
        if (out.isEmpty()) {
            out.add(parse("8.8.8.8"));
            out.add(parse("1.1.1.1"));
        }
        return out;
    }

    /** The IPv4 nameservers of a resolv.conf, in order. */
    static List<InetSocketAddress> fromResolvConf(String text) throws IOException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver") && isIpv4(f[1])) {
                out.add(parse(f[1]));
            }
        }
        return out;
    }

    /** {@code A.B.C.D[:PORT]}: literals only (no name lookup). */
    public static InetSocketAddress parse(String s) throws IOException {
        int colon = s.indexOf(':');
        String host = colon < 0 ? s : s.substring(0, colon);
        if (!isIpv4(host)) {
            throw new IOException("the DNS upstream '" + s + "' is not an IPv4 address[:port]");
        }
        try {
            int port = colon < 0 ? 53 : Integer.parseInt(s.substring(colon + 1));
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IllegalArgumentException e) {
            throw new IOException("the DNS upstream '" + s + "' has no valid port");
        }
    }

    private static boolean isIpv4(String s) {
        if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String part : s.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
