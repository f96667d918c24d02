package dev.pelagos.lisp.value;

/**
 * Every Lisp value. The printed form is {@link Printer#write(Value)}; {@link #typeName()} is the
 * name error messages use ({@code expected pair, got int}).
 */
public sealed interface Value permits Nil, Bool, Int, Real, Str, Sym, Pair, Procedure, Macro,
        ServiceSpec, NetworkSpec, VolumeSpec, ComposeSpec, ContainerValue, PendingContainer, FutureValue {
    String typeName();
}
