package dev.pelagos.lisp.value;

import java.util.Objects;

/** {@code (volume name)}. */
public record VolumeSpec(String name) implements Value {
    public VolumeSpec {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String typeName() {
        return "volume-spec";
    }
}
