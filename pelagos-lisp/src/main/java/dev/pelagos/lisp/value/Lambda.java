package dev.pelagos.lisp.value;

import dev.pelagos.lisp.eval.Env;
import dev.pelagos.lisp.eval.Node;

/**
 * A closure: fixed parameters, an optional rest parameter (null when none), the analysed body and
 * the frame it closes over.
 */
public record Lambda(String name, Sym[] params, Sym rest, Node body, Env env) implements Procedure {
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "#<lambda>";
    }
}
