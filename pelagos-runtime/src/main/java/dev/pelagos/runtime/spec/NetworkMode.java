package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;

/**
 * Docker's meanings (DECISIONS §A2); a user network is {@link #BRIDGE} with its name (see
 * {@link ContainerConfig#networks()}). pasta (rootless) is not available yet.
 */
public enum NetworkMode {
    /** Its own network namespace with only {@code lo}, up. */
    NONE,
    /** The host's network namespace. */
    HOST,
    /** The default bridge network {@code pelagos0}: eth0 with an address, the host and the other containers reachable. */
    BRIDGE,
    /** Another running container's network namespace ({@code container:NAME}): its interfaces, addresses and ports. */
    CONTAINER;

    public static NetworkMode parse(String value) throws PelagosException {
        return switch (value) {
            case "none", "loopback" -> NONE;
            case "host" -> HOST;
            case "bridge" -> BRIDGE;
            case "pasta" -> throw new PelagosException(dev.pelagos.base.ErrorKind.UNSUPPORTED,
                    "network mode '" + value + "' is not available yet in this build",
                    "use --network none (isolated, loopback only), bridge or host");
            default -> throw PelagosException.invalid("unknown network '" + value + "'",
                    "use none (isolated, loopback only), host, bridge, or a network made with: pelagos network create NAME --subnet CIDR");
        };
    }
}
