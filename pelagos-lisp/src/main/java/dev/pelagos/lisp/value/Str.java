package dev.pelagos.lisp.value;

import java.util.Objects;

/** An immutable string. */
public record Str(String value) implements Value {
    public Str {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
        return "string";
    }
}
