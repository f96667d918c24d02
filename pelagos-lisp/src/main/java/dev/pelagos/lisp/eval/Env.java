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
     * Bumped whenever a {@code define} adds a new name to a local frame: the only event that can
     * make a variable node's remembered frame depth and slot wrong (a nearer frame now shadows).
     */
    static int shapeEpoch;

    /**
     * Like {@link #lookup}, but remembers in the variable node where the binding was found (frames
     * up, slot) and tries that first. The frame structure around a node is fixed by the program
     * text, so the guess is right unless {@link #shapeEpoch} moved or the slot no longer holds the
     * name; then it walks as usual.
     */
    Value lookup(Nodes.Ref r) {
        Sym s = r.name;
        int depth = r.depth;
        if (depth >= 0 && r.epoch == shapeEpoch) {
            Env e = this;
            for (int d = depth; d > 0 && e != null; d--) {
                e = e.parent;
            }
            if (e != null) {
                if (e.globals == null) {
                    int i = r.slot;
                    if (i < e.size && e.names[i] == s) {
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
        Env e = this;
        int walked = 0;
        while (true) {
            Map<Sym, Cell> g = e.globals;
            if (g != null) {
                Cell c = g.get(s);
                if (c == null) {
                    return null;
                }
                r.cell = c;
                r.depth = walked;
                r.epoch = shapeEpoch;
                return c.value;
            }
            Sym[] ns = e.names;
            for (int i = e.size - 1; i >= 0; i--) {
                if (ns[i] == s) {
                    r.depth = walked;
                    r.slot = i;
                    r.epoch = shapeEpoch;
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
        shapeEpoch++;
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
