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
    private final Map<Sym, Cell> globals;
    private Sym[] names;
    private Value[] values;
    private int size;
    /** How many names the frame was made with; those never change (define only appends). */
    private final int fixed;
    private boolean ownNames;
    /** A define added a name to this frame at run time (see {@link #lookup(Nodes.Ref)}). */
    private boolean extended;

    /** A new global frame. */
    public Env() {
        this.parent = null;
        this.globals = new HashMap<>();
        this.names = new Sym[0];
        this.values = new Value[0];
        this.fixed = 0;
    }

    /** A frame binding {@code names[i]} to {@code values[i]}; both arrays are used as they are. */
    public Env(Env parent, Sym[] names, Value[] values) {
        this.parent = parent;
        this.globals = null;
        this.names = names;
        this.values = values;
        this.size = values.length;
        this.fixed = values.length;
    }

    public Env parent() {
        return parent;
    }

    /** A global binding; variable nodes cache the cell so a global lookup skips the hash map. */
    static final class Cell {
        final Env owner;
        Value value;

        Cell(Env owner, Value value) {
            this.owner = owner;
            this.value = value;
        }
    }

    /** The value bound to {@code s} here or in an enclosing frame, or null when unbound. */
    public Value lookup(Sym s) {
        Env e = this;
        while (true) {
            Map<Sym, Cell> g = e.globals;
            if (g != null) {
                Cell c = g.get(s);
                return c == null ? null : c.value;
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

    /**
     * Like {@link #lookup}, but remembers in the variable node where the binding was found (frames
     * up, slot) and tries that first. The frames around a node are made by the forms that enclose
     * it in the program text, so every frame at the same depth has the same names, except names a
     * {@code define} added at run time. The guess is therefore right when no nearer frame gained a
     * name ({@link #extended}) and the slot still holds the name; otherwise this walks as usual.
     */
    Value lookup(Nodes.Ref r) {
        int depth = r.depth;
        if (depth >= 0) {
            Env e = this;
            while (depth > 0 && e != null && !e.extended) {
                e = e.parent;
                depth--;
            }
            if (depth == 0 && e != null) {
                if (e.globals == null) {
                    int i = r.slot;
                    // A slot the frame was made with holds the same name in every frame at this
                    // depth (the program text decides it); an appended slot must be checked.
                    if (i < e.fixed || (i < e.size && e.names[i] == r.name)) {
                        return e.values[i];
                    }
                } else {
                    Cell c = r.cell;
                    if (c != null && c.owner == e) {
                        return c.value;
                    }
                }
            }
        }
        return lookupAndRemember(r);
    }

    /** The full walk; records where the binding was found. Kept apart so the fast path inlines. */
    private Value lookupAndRemember(Nodes.Ref r) {
        Sym s = r.name;
        Env e = this;
        int walked = 0;
        while (true) {
            Map<Sym, Cell> g = e.globals;
            if (g != null) {
                Cell c = r.cell;
                if (c == null || c.owner != e) {
                    c = g.get(s);
                    if (c == null) {
                        return null;
                    }
                    r.cell = c;
                }
                r.depth = walked;
                return c.value;
            }
            Sym[] ns = e.names;
            for (int i = e.size - 1; i >= 0; i--) {
                if (ns[i] == s) {
                    r.depth = walked;
                    r.slot = i;
                    return e.values[i];
                }
            }
            e = e.parent;
            walked++;
        }
    }

    /** Binds in this frame, replacing an existing binding of the same name here. */
    public void define(Sym s, Value v) {
        if (globals != null) {
            Cell c = globals.get(s);
            if (c == null) {
                globals.put(s, new Cell(this, v));
            } else {
                c.value = v;
            }
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
        extended = true;
    }

    /** Changes the nearest existing binding; false when {@code s} is unbound everywhere. */
    public boolean set(Sym s, Value v) {
        Env e = this;
        while (e != null) {
            if (e.globals != null) {
                Cell c = e.globals.get(s);
                if (c == null) {
                    return false;
                }
                c.value = v;
                return true;
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
