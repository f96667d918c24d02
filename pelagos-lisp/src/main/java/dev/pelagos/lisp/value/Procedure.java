package dev.pelagos.lisp.value;

/** Something {@code apply} can call: a closure or a native builtin. */
public sealed interface Procedure extends Value permits Lambda, Native {
    @Override
    default String typeName() {
        return this instanceof Lambda ? "lambda" : "procedure";
    }
}
