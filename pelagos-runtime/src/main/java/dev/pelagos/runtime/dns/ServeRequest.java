package dev.pelagos.runtime.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container's starter sends on the server's control socket, "serve NETWORK=GATEWAY/PREFIX
 * ...", and the "ok" it waits for; written and read here only. Apart from {@link DnsServer}: the
 * start path loads this, not the server.
 */
public final class ServeRequest {
    private static final String VERB = "serve";
    private static final String OK = "ok\n";

    /** One network to serve. */
    public record Network(String name, Inet4Address gateway, int prefixLength) {
    }

    private ServeRequest() {
    }

    /** The request for these networks. */
    public static byte[] of(List<Network> networks) {
        StringBuilder sb = new StringBuilder(VERB);
        for (Network n : networks) {
            sb.append(' ').append(n.name()).append('=').append(n.gateway().getHostAddress()).append('/').append(n.prefixLength());
        }
        return sb.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A request as read: its well-formed networks, and whether every one was. */
    record Parsed(List<Network> networks, boolean wellFormed) {
    }

    /** What a request asks for, or null when it is not a serve request; a malformed network is left out. */
    static Parsed parse(String request) {
        String[] words = request.strip().split("\\s+");
        if (!words[0].equals(VERB)) {
            return null;
        }
        List<Network> networks = new ArrayList<>();
        boolean wellFormed = true;
        for (int i = 1; i < words.length; i++) {
            String[] f = words[i].split("[=/]");
            if (f.length != 3 || !f[1].matches("\\d{1,3}(\\.\\d{1,3}){3}") || !f[2].matches("\\d{1,2}")) {
                wellFormed = false;
                continue;
            }
            try {
                networks.add(new Network(f[0], (Inet4Address) InetAddress.getByName(f[1]), Integer.parseInt(f[2])));
            } catch (UnknownHostException e) {
                wellFormed = false;
            }
        }
        return new Parsed(networks, wellFormed);
    }

    /** The answer to a request that was served ({@code ok}) or not. */
    static byte[] answer(boolean served) {
        return (served ? OK : "error\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the answer says the networks are served. */
    public static boolean accepted(byte[] answer) {
        return new String(answer, StandardCharsets.US_ASCII).equals(OK);
    }
}
