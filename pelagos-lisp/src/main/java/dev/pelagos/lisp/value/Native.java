package dev.pelagos.lisp.value;

import dev.pelagos.lisp.LispException;

/**
 * A builtin written in Java. The evaluator checks the argument count against {@code min}/{@code max}
 * ({@code max < 0}: no upper bound) before calling. {@code inline} (non-zero only for the core
 * arithmetic and comparison builtins) lets the evaluator compute a two-integer call directly,
 * without an argument array; any other call goes through {@code body}.
 */
public record Native(String name, int min, int max, Body body, int inline) implements Procedure {
    public static final int ADD = 1;
    public static final int SUB = 2;
    public static final int MUL = 3;
    public static final int NUM_EQ = 4;
    public static final int LT = 5;
    public static final int GT = 6;
    public static final int LE = 7;
    public static final int GE = 8;

    public Native(String name, int min, int max, Body body) {
        this(name, min, max, body, 0);
    }

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
