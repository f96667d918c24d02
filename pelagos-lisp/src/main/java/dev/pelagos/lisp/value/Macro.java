package dev.pelagos.lisp.value;

/** A non-hygienic macro: its expander receives the unevaluated argument forms. */
public record Macro(String name, Lambda expander) implements Value {
    @Override
    public String typeName() {
        return "macro";
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
