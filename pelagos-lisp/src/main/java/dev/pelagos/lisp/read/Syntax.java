package dev.pelagos.lisp.read;

import dev.pelagos.lisp.SourcePos;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * A form as read, with the position of every node. {@link #toValue()} gives the plain data
 * ({@code quote}, macro arguments); {@link #fromValue} turns data back into syntax (macro
 * expansions), giving every node the position of the call that produced it.
 */
public sealed interface Syntax {
    SourcePos pos();

    Value toValue();

    /** An atom: number, string, boolean, symbol, or {@code ()}. */
    record Atom(Value value, SourcePos pos) implements Syntax {
        @Override
        public Value toValue() {
            return value;
        }
    }

    /** A list {@code (a b c)} or, with a tail, {@code (a b . c)}. {@code tail} is null for proper lists. */
    record ListForm(List<Syntax> items, Syntax tail, SourcePos pos) implements Syntax {
        public ListForm {
            items = List.copyOf(items);
        }

        @Override
        public Value toValue() {
            Value out = tail == null ? Nil.NIL : tail.toValue();
            for (int i = items.size() - 1; i >= 0; i--) {
                out = new Pair(items.get(i).toValue(), out);
            }
            return out;
        }

        public Syntax head() {
            return items.getFirst();
        }

        public int size() {
            return items.size();
        }
    }

    static Syntax fromValue(Value v, SourcePos pos) {
        if (!(v instanceof Pair)) {
            return new Atom(v, pos);
        }
        List<Syntax> items = new ArrayList<>();
        while (v instanceof Pair p) {
            items.add(fromValue(p.car(), pos));
            v = p.cdr();
        }
        return new ListForm(items, v == Nil.NIL ? null : new Atom(v, pos), pos);
    }
}
