package dev.pelagos.lisp.value;

import java.util.Objects;

/** {@code (network name [(subnet "CIDR")])}; subnet is null when not given. */
public record NetworkSpec(String name, String subnet) implements Value {
    public NetworkSpec {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String typeName() {
        return "network-spec";
    }
}
