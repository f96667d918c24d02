package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;

/** Docker's meanings (DECISIONS §A2). Bridge and user networks arrive with the networking work. */
public enum NetworkMode {
    /** Its own network namespace with only {@code lo}, up. */
    NONE,
    /** The host's network namespace. */
    HOST;

    public static NetworkMode parse(String value) throws PelagosException {
        return switch (value) {
            case "none", "loopback" -> NONE;
            case "host" -> HOST;
            case "bridge", "pasta" -> throw new PelagosException(dev.pelagos.base.ErrorKind.UNSUPPORTED,
                    "network mode '" + value + "' is not available yet in this build",
                    "use --network none (isolated, loopback only) or --network host");
            default -> throw PelagosException.invalid("unknown network '" + value + "'",
                    "use --network none (isolated, loopback only) or --network host; user networks are not available yet in this build");
        };
    }
}
