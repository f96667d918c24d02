package dev.pelagos.lisp.value;

import java.util.Objects;

/** A cons cell. Pairs are immutable: the language has no {@code set-car!}. */
public record Pair(Value car, Value cdr) implements Value {
    public Pair {
        Objects.requireNonNull(car, "car");
        Objects.requireNonNull(cdr, "cdr");
    }

    @Override
    public String typeName() {
        return "pair";
    }

    /** Identity: pairs are never {@code eqv?}, and deep structural hashing could overflow the stack. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
