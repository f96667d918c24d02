package dev.pelagos.runtime.network;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bridge networks reach beyond the host, and not each other: each network's bridge and subnet go
 * into {@link PelagosTable}'s sets, whose rules masquerade containers' traffic leaving through
 * another interface and drop what is routed between two bridges; the host forwards IPv4, as
 * Docker makes it do (without forwarding the isolation rules would only be unused).
 */
public final class NetworkNat {
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
    private final Path jniLibrary;

    public NetworkNat(Path jniLibrary) {
        this.jniLibrary = jniLibrary;
    }

    /** Called before containers join {@code nets}: their bridges and subnets are in the rules, forwarding is on. */
    public void enable(List<NetworkDef> nets) throws PelagosException {
        List<String> elements = new ArrayList<>();
        nets.forEach(n -> elements.addAll(elements(n)));
        try {
            PelagosTable.add(jniLibrary, elements);
            if (!Files.readString(IP_FORWARD).strip().equals("1")) {
                Files.writeString(IP_FORWARD, "1");
            }
        } catch (IOException e) {
            throw new PelagosException(ErrorKind.INTERNAL, "cannot set up NAT for network " + nets.getFirst().name() + ": "
                    + e.getMessage(), "check that nftables works here (nft list ruleset)", e);
        }
    }

    /** A network removed: its bridge and subnet leave the rules (nothing when they are not there). */
    public void disable(NetworkDef n) {
        PelagosTable.delete(jniLibrary, elements(n));
    }

    /** A network's elements of the table's sets: its bridge, the bridge to itself, its subnet. */
    private static List<String> elements(NetworkDef n) {
        String bridge = "\"" + n.bridge() + "\"";
        return List.of("bridges { " + bridge + " }", "same_bridge { " + bridge + " . " + bridge + " }", "subnets { " + n.subnet() + " }");
    }
}
