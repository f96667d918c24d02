package dev.pelagos.lisp.builtins;

import static dev.pelagos.lisp.builtins.Registry.integer;
import static dev.pelagos.lisp.builtins.Registry.pair;
import static dev.pelagos.lisp.builtins.Registry.procedure;

import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.eval.Evaluator;
import dev.pelagos.lisp.value.Bool;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Lambda;
import dev.pelagos.lisp.value.Native;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Procedure;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.util.ArrayList;
import java.util.List;

/** Predicates, equality, pairs and lists, and the higher-order list functions. */
final class ListBuiltins {
    private ListBuiltins() {
    }

    static void install(Registry r, Evaluator ev) {
        r.def("equal?", 2, 2, a -> Bool.of(Values.equal(a[0], a[1])));
        r.def("eqv?", 2, 2, a -> Bool.of(Values.eqv(a[0], a[1])));
        r.def("eq?", 2, 2, a -> Bool.of(Values.eqv(a[0], a[1])));
        r.def("not", 1, 1, a -> Bool.of(a[0] instanceof Bool b && !b.value()));
        r.def("boolean?", 1, 1, a -> Bool.of(a[0] instanceof Bool));
        r.def("null?", 1, 1, a -> Bool.of(a[0] == Nil.NIL));
        r.def("pair?", 1, 1, a -> Bool.of(a[0] instanceof Pair));
        r.def("list?", 1, 1, a -> Bool.of(Values.isProperList(a[0])));
        r.def("symbol?", 1, 1, a -> Bool.of(a[0] instanceof Sym));
        r.def("string?", 1, 1, a -> Bool.of(a[0] instanceof Str));
        r.def("number?", 1, 1, a -> Bool.of(a[0] instanceof Int || a[0] instanceof Real));
        r.def("integer?", 1, 1, a -> Bool.of(a[0] instanceof Int
                || (a[0] instanceof Real f && Double.isFinite(f.value()) && f.value() == Math.rint(f.value()))));
        r.def("procedure?", 1, 1, a -> Bool.of(a[0] instanceof Lambda || a[0] instanceof Native));

        r.def("cons", 2, 2, a -> new Pair(a[0], a[1]));
        r.def("car", 1, 1, a -> pair("car", a[0]).car());
        r.def("cdr", 1, 1, a -> pair("cdr", a[0]).cdr());
        r.def("caar", 1, 1, a -> pair("caar", pair("caar", a[0]).car()).car());
        r.def("cadr", 1, 1, a -> pair("cadr", pair("cadr", a[0]).cdr()).car());
        r.def("cdar", 1, 1, a -> pair("cdar", pair("cdar", a[0]).car()).cdr());
        r.def("cddr", 1, 1, a -> pair("cddr", pair("cddr", a[0]).cdr()).cdr());
        r.def("caddr", 1, 1, a -> pair("caddr", pair("caddr", pair("caddr", a[0]).cdr()).cdr()).car());
        r.def("list", 0, -1, a -> Values.list(a));
        r.def("length", 1, 1, a -> {
            long n = 0;
            Value v = a[0];
            while (v instanceof Pair p) {
                n++;
                v = p.cdr();
            }
            if (v != Nil.NIL) {
                throw new LispRuntimeException("length: not a proper list");
            }
            return Int.of(n);
        });
        r.def("append", 0, -1, a -> {
            if (a.length == 0) {
                return Nil.NIL;
            }
            List<Value> items = new ArrayList<>();
            for (int i = 0; i < a.length - 1; i++) {
                items.addAll(properList("append", a[i]));
            }
            return Values.list(items, a[a.length - 1]);
        });
        r.def("reverse", 1, 1, a -> {
            Value out = Nil.NIL;
            for (Value v : properList("reverse", a[0])) {
                out = new Pair(v, out);
            }
            return out;
        });
        r.def("list-ref", 2, 2, a -> {
            long k = integer("list-ref", a[1]);
            Value v = a[0];
            for (long i = 0; v instanceof Pair p; i++) {
                if (i == k) {
                    return p.car();
                }
                v = p.cdr();
            }
            throw new LispRuntimeException("list-ref: index " + k + " out of range");
        });
        r.def("iota", 1, 3, a -> {
            long count = integer("iota", a[0]);
            if (count < 0) {
                throw new LispRuntimeException("iota: count must not be negative, got " + count);
            }
            if (count > 50_000_000) {
                throw new LispRuntimeException("iota: count too large (" + count + ")");
            }
            Value start = a.length > 1 ? Registry.number("iota", a[1]) : Int.of(0);
            Value step = a.length > 2 ? Registry.number("iota", a[2]) : Int.of(1);
            Value out = Nil.NIL;
            if (start instanceof Int s && step instanceof Int st) {
                for (long i = count - 1; i >= 0; i--) {
                    out = new Pair(Int.of(s.value() + i * st.value()), out);
                }
            } else {
                double s = NumberBuiltins.toDouble("iota", start);
                double st = NumberBuiltins.toDouble("iota", step);
                for (long i = count - 1; i >= 0; i--) {
                    out = new Pair(new Real(s + i * st), out);
                }
            }
            return out;
        });
        r.def("assoc", 2, 2, a -> assocBy(a[0], a[1], "assoc", true));
        r.def("assv", 2, 2, a -> assocBy(a[0], a[1], "assv", false));

        r.def("map", 2, -1, a -> {
            Procedure f = procedure("map", a[0]);
            List<List<Value>> lists = lists("map", a);
            List<Value> out = new ArrayList<>();
            Value[] args = new Value[lists.size()];
            for (int i = 0; i < lists.getFirst().size(); i++) {
                for (int k = 0; k < args.length; k++) {
                    args[k] = lists.get(k).get(i);
                }
                out.add(ev.apply(f, args.clone()));
            }
            return Values.list(out);
        });
        r.def("for-each", 2, -1, a -> {
            Procedure f = procedure("for-each", a[0]);
            List<List<Value>> lists = lists("for-each", a);
            for (int i = 0; i < lists.getFirst().size(); i++) {
                Value[] args = new Value[lists.size()];
                for (int k = 0; k < args.length; k++) {
                    args[k] = lists.get(k).get(i);
                }
                ev.apply(f, args);
            }
            return Nil.NIL;
        });
        r.def("filter", 2, 2, a -> {
            Procedure f = procedure("filter", a[0]);
            List<Value> out = new ArrayList<>();
            for (Value v : properList("filter", a[1])) {
                if (Values.truthy(ev.apply(f, new Value[] {v}))) {
                    out.add(v);
                }
            }
            return Values.list(out);
        });
        r.def("apply", 2, -1, a -> {
            Procedure f = procedure("apply", a[0]);
            List<Value> last = Values.toList(a[a.length - 1]);
            if (last == null) {
                throw new LispRuntimeException("apply: last argument must be a list");
            }
            List<Value> args = new ArrayList<>();
            for (int i = 1; i < a.length - 1; i++) {
                args.add(a[i]);
            }
            args.addAll(last);
            return ev.apply(f, args.toArray(new Value[0]));
        });
        r.def("fold-left", 3, 3, a -> {
            Procedure f = procedure("fold-left", a[0]);
            Value acc = a[1];
            for (Value v : properList("fold-left", a[2])) {
                acc = ev.apply(f, new Value[] {acc, v});
            }
            return acc;
        });
        r.def("fold-right", 3, 3, a -> {
            Procedure f = procedure("fold-right", a[0]);
            Value acc = a[1];
            List<Value> items = properList("fold-right", a[2]);
            for (int i = items.size() - 1; i >= 0; i--) {
                acc = ev.apply(f, new Value[] {items.get(i), acc});
            }
            return acc;
        });
    }

    static List<Value> properList(String who, Value v) throws LispRuntimeException {
        List<Value> l = Values.toList(v);
        if (l == null) {
            throw new LispRuntimeException(who + ": expected a proper list, got " + v.typeName());
        }
        return l;
    }

    private static List<List<Value>> lists(String who, Value[] a) throws LispRuntimeException {
        List<List<Value>> lists = new ArrayList<>();
        for (int i = 1; i < a.length; i++) {
            lists.add(properList(who, a[i]));
        }
        int n = lists.getFirst().size();
        for (List<Value> l : lists) {
            if (l.size() != n) {
                throw new LispRuntimeException(who + ": all lists must have the same length");
            }
        }
        return lists;
    }

    /** {@code assoc} compares keys with {@code equal?} (DECISIONS: any key type), {@code assv} with {@code eqv?}. */
    private static Value assocBy(Value key, Value alist, String who, boolean structural) throws LispRuntimeException {
        Value v = alist;
        while (v instanceof Pair p) {
            if (p.car() instanceof Pair entry
                    && (structural ? Values.equal(key, entry.car()) : Values.eqv(key, entry.car()))) {
                return entry;
            }
            v = p.cdr();
        }
        if (v != Nil.NIL) {
            throw new LispRuntimeException(who + ": expected a proper list, got " + alist.typeName());
        }
        return Bool.FALSE;
    }
}
