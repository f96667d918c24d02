package dev.pelagos.lisp.value;

import java.util.ArrayList;
import java.util.List;

/** Helpers every part of the interpreter needs: truth, equality, list building. */
public final class Values {
    private Values() {
    }

    /** Only {@code #f} is false. */
    public static boolean truthy(Value v) {
        return !(v instanceof Bool b) || b.value();
    }

    public static Value list(List<? extends Value> items) {
        return list(items, Nil.NIL);
    }

    public static Value list(List<? extends Value> items, Value tail) {
        Value out = tail;
        for (int i = items.size() - 1; i >= 0; i--) {
            out = new Pair(items.get(i), out);
        }
        return out;
    }

    public static Value list(Value... items) {
        return list(List.of(items));
    }

    /** The elements of a proper list, or null when {@code v} is not one. */
    public static List<Value> toList(Value v) {
        List<Value> out = new ArrayList<>();
        while (v instanceof Pair p) {
            out.add(p.car());
            v = p.cdr();
        }
        return v == Nil.NIL ? out : null;
    }

    public static boolean isProperList(Value v) {
        while (v instanceof Pair p) {
            v = p.cdr();
        }
        return v == Nil.NIL;
    }

    /** {@code eqv?}: atoms by value (numbers of the same type), pairs and procedures never. */
    public static boolean eqv(Value a, Value b) {
        return switch (a) {
            case Nil n -> b == Nil.NIL;
            case Bool x -> b instanceof Bool y && x.value() == y.value();
            case Int x -> b instanceof Int y && x.value() == y.value();
            case Real x -> b instanceof Real y && (x.value() == y.value());
            case Str x -> b instanceof Str y && x.value().equals(y.value());
            case Sym x -> b instanceof Sym y && x.name().equals(y.name());
            default -> false;
        };
    }

    /** {@code equal?}: structural; {@code 1} equals {@code 1.0}. Iterative along list spines. */
    public static boolean equal(Value a, Value b) {
        while (true) {
            if (a instanceof Pair pa) {
                if (!(b instanceof Pair pb) || !equal(pa.car(), pb.car())) {
                    return false;
                }
                a = pa.cdr();
                b = pb.cdr();
                continue;
            }
            if (a instanceof Int || a instanceof Real) {
                if (!(b instanceof Int || b instanceof Real)) {
                    return false;
                }
                if (a instanceof Int x && b instanceof Int y) {
                    return x.value() == y.value();
                }
                return toDouble(a) == toDouble(b);
            }
            if (eqv(a, b)) {
                return true;
            }
            return a == b && !(a instanceof Nil);
        }
    }

    public static double toDouble(Value v) {
        return v instanceof Int i ? i.value() : ((Real) v).value();
    }
}
