package dev.pelagos.lisp.value;

/** A 64-bit float. */
public record Real(double value) implements Value {
    @Override
    public String typeName() {
        return "float";
    }
}
