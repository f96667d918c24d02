package dev.pelagos.lisp.value;

import dev.pelagos.lisp.LispException;

/**
 * A builtin written in Java. The evaluator checks the argument count against {@code min}/{@code max}
 * ({@code max < 0}: no upper bound) before calling.
 */
public record Native(String name, int min, int max, Body body) implements Procedure {
    /** The Java side of a builtin; {@code args} is exactly as long as the call. */
    @FunctionalInterface
    public interface Body {
        Value call(Value[] args) throws LispException;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
