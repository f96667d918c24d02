package dev.pelagos.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What bridge networking changes on the host, noted before a test class and put back after it:
 * the default bridge pelagos0 and the nftables table {@code ip pelagos} (removed if the class made
 * them) and IPv4 forwarding (which a container on a bridge turns on, as Docker does).
 */
public final class HostNetworkState {
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
    private final boolean bridgeExisted;
    private final boolean tableExisted;
    private final String forwarding;

    private HostNetworkState(boolean bridgeExisted, boolean tableExisted, String forwarding) {
        this.bridgeExisted = bridgeExisted;
        this.tableExisted = tableExisted;
        this.forwarding = forwarding;
    }

    public static HostNetworkState note() throws IOException, InterruptedException {
        return new HostNetworkState(Files.exists(Path.of("/sys/class/net/pelagos0")), exec("nft", "list", "table", "ip", "pelagos") == 0,
                Files.readString(IP_FORWARD).strip());
    }

    public void restore() throws IOException, InterruptedException {
        if (!tableExisted) {
            exec("nft", "delete", "table", "ip", "pelagos");
        }
        if (!bridgeExisted && Files.exists(Path.of("/sys/class/net/pelagos0"))) {
            exec("ip", "link", "delete", "pelagos0");
        }
        Files.writeString(IP_FORWARD, forwarding);
    }

    /** Runs a host command, its output dropped; the exit status, or -1 when it took over 10 s. */
    public static int exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
