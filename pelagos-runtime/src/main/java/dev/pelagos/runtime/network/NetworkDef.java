package dev.pelagos.runtime.network;

import dev.pelagos.base.PelagosException;

/**
 * A bridge network: its name, subnet and the bridge on the host that carries it.
 *
 * @param created when it was made (RFC 3339), or "" for the default network
 */
public record NetworkDef(String name, Subnet subnet, String bridge, String created) {
    /** Docker's name for the default network; its bridge is pelagos0 (REFERENCE §7.1). */
    public static final String DEFAULT = "bridge";

    public static NetworkDef defaultNetwork() {
        try {
            return new NetworkDef(DEFAULT, Subnet.parse("172.19.0.0/24"), "pelagos0", "");
        } catch (PelagosException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 1-12 of A-Z, a-z, 0-9 and '-', not starting with '-' (the bridge, "rm-" + name, must fit a link name). */
    public static void checkName(String name) throws PelagosException {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9-]{0,11}")) {
            throw PelagosException.invalid("invalid network name '" + name + "'",
                    "use 1 to 12 letters, digits or '-', not starting with '-'");
        }
    }
}
