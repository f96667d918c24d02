package dev.pelagos.lisp.value;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A symbol. Symbols are interned through {@link #of}, so the evaluator compares them by identity;
 * a name starting with {@code :} is a keyword and evaluates to itself.
 */
public record Sym(String name) implements Value {
    private static final ConcurrentHashMap<String, Sym> TABLE = new ConcurrentHashMap<>();

    public Sym {
        Objects.requireNonNull(name, "name");
    }

    public static Sym of(String name) {
        Sym s = TABLE.get(name);
        return s != null ? s : TABLE.computeIfAbsent(name, Sym::new);
    }

    public boolean isKeyword() {
        return name.length() > 1 && name.charAt(0) == ':';
    }

    @Override
    public String typeName() {
        return "symbol";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sym s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
