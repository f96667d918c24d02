package dev.pelagos.lisp.value;

/** The empty list {@code ()}, which is also "no value". */
public enum Nil implements Value {
    NIL;

    @Override
    public String typeName() {
        return "nil";
    }
}
