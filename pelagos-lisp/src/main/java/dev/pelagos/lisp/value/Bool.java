package dev.pelagos.lisp.value;

/** {@code #t} or {@code #f}; build through {@link #of} so the two constants are shared. */
public record Bool(boolean value) implements Value {
    public static final Bool TRUE = new Bool(true);
    public static final Bool FALSE = new Bool(false);

    public static Bool of(boolean b) {
        return b ? TRUE : FALSE;
    }

    @Override
    public String typeName() {
        return "bool";
    }
}
