package dev.pelagos.lisp.eval;

import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A lexical frame: parallel arrays of names and values plus the enclosing frame. The global frame
 * (no parent) keeps a hash map instead. Frames are small, so a linear search by symbol identity
 * beats hashing. The names array is often shared with the lambda that made the frame; it is copied
 * before the first {@code define} adds a name.
 */
public final class Env {
    private final Env parent;
    private final Map<Sym, Value> globals;
    private Sym[] names;
    private Value[] values;
    private int size;
    private boolean ownNames;

    /** A new global frame. */
    public Env() {
        this.parent = null;
        this.globals = new HashMap<>();
        this.names = new Sym[0];
        this.values = new Value[0];
    }

    /** A frame binding {@code names[i]} to {@code values[i]}; both arrays are used as they are. */
    public Env(Env parent, Sym[] names, Value[] values) {
        this.parent = parent;
        this.globals = null;
        this.names = names;
        this.values = values;
        this.size = values.length;
    }

    public Env parent() {
        return parent;
    }

    /** The value bound to {@code s} here or in an enclosing frame, or null when unbound. */
    public Value lookup(Sym s) {
        Env e = this;
        while (true) {
            Map<Sym, Value> g = e.globals;
            if (g != null) {
                return g.get(s);
            }
            Sym[] ns = e.names;
            for (int i = e.size - 1; i >= 0; i--) {
                if (ns[i] == s) {
                    return e.values[i];
                }
            }
            e = e.parent;
        }
    }

    /** Binds in this frame, replacing an existing binding of the same name here. */
    public void define(Sym s, Value v) {
        if (globals != null) {
            globals.put(s, v);
            return;
        }
        for (int i = size - 1; i >= 0; i--) {
            if (names[i] == s) {
                values[i] = v;
                return;
            }
        }
        if (!ownNames || size == names.length) {
            int cap = Math.max(4, size * 2);
            names = Arrays.copyOf(names, cap);
            values = Arrays.copyOf(values, cap);
            ownNames = true;
        }
        names[size] = s;
        values[size] = v;
        size++;
    }

    /** Changes the nearest existing binding; false when {@code s} is unbound everywhere. */
    public boolean set(Sym s, Value v) {
        Env e = this;
        while (e != null) {
            if (e.globals != null) {
                if (e.globals.containsKey(s)) {
                    e.globals.put(s, v);
                    return true;
                }
                return false;
            }
            for (int i = e.size - 1; i >= 0; i--) {
                if (e.names[i] == s) {
                    e.values[i] = v;
                    return true;
                }
            }
            e = e.parent;
        }
        return false;
    }

    /** Sets the value in slot {@code i} of this frame (letrec, named let). */
    void setSlot(int i, Value v) {
        values[i] = v;
    }
}
