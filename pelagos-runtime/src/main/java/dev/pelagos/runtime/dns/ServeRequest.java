package dev.pelagos.runtime.dns;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a container's starter sends on the server's control socket, "serve NETWORK=GATEWAY/PREFIX
 * ...", and the "ok" it waits for. Apart from {@link DnsServer}: the start path loads this, not the server.
 */
public final class ServeRequest {
    private ServeRequest() {
    }

    /** The request for these networks ({@code NETWORK=GATEWAY/PREFIX}). */
    public static byte[] of(List<String> networks) {
        return ("serve " + String.join(" ", networks) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the answer says the networks are served. */
    public static boolean accepted(byte[] answer) {
        return new String(answer, StandardCharsets.US_ASCII).equals("ok\n");
    }
}
