package dev.pelagos.lisp.builtins;

import static dev.pelagos.lisp.builtins.Registry.integer;
import static dev.pelagos.lisp.builtins.Registry.number;

import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.value.Bool;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Native;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.Value;

/**
 * Arithmetic and numeric comparison. Integers and floats mix freely: a result is a float as soon
 * as one operand is (DECISIONS §A6); integer arithmetic wraps like i64.
 */
final class NumberBuiltins {
    private NumberBuiltins() {
    }

    static void install(Registry r) {
        r.defInline("+", Native.ADD, 0, -1, a -> {
            if (a.length == 2 && a[0] instanceof Int x && a[1] instanceof Int y) {
                return Int.of(x.value() + y.value());
            }
            long acc = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] instanceof Int x) {
                    acc += x.value();
                } else {
                    double d = acc;
                    for (int j = i; j < a.length; j++) {
                        d += toDouble("+", a[j]);
                    }
                    return new Real(d);
                }
            }
            return Int.of(acc);
        });
        r.defInline("*", Native.MUL, 0, -1, a -> {
            long acc = 1;
            for (int i = 0; i < a.length; i++) {
                if (a[i] instanceof Int x) {
                    acc *= x.value();
                } else {
                    double d = acc;
                    for (int j = i; j < a.length; j++) {
                        d *= toDouble("*", a[j]);
                    }
                    return new Real(d);
                }
            }
            return Int.of(acc);
        });
        r.defInline("-", Native.SUB, 1, -1, a -> {
            if (a.length == 1) {
                Value v = number("-", a[0]);
                return v instanceof Int x ? Int.of(-x.value()) : new Real(-((Real) v).value());
            }
            if (a.length == 2 && a[0] instanceof Int x && a[1] instanceof Int y) {
                return Int.of(x.value() - y.value());
            }
            Value acc = number("-", a[0]);
            for (int i = 1; i < a.length; i++) {
                Value b = number("-", a[i]);
                if (acc instanceof Int x && b instanceof Int y) {
                    acc = Int.of(x.value() - y.value());
                } else {
                    acc = new Real(toDouble("-", acc) - toDouble("-", b));
                }
            }
            return acc;
        });
        r.def("/", 1, -1, a -> {
            if (a.length == 1) {
                double d = toDouble("/", a[0]);
                if (d == 0) {
                    throw new LispRuntimeException("/: division by zero");
                }
                return new Real(1.0 / d);
            }
            Value acc = number("/", a[0]);
            for (int i = 1; i < a.length; i++) {
                Value b = number("/", a[i]);
                if (toDouble("/", b) == 0) {
                    throw new LispRuntimeException("/: division by zero");
                }
                if (acc instanceof Int x && b instanceof Int y && x.value() % y.value() == 0) {
                    acc = Int.of(x.value() / y.value());
                } else {
                    acc = new Real(toDouble("/", acc) / toDouble("/", b));
                }
            }
            return acc;
        });
        r.def("quotient", 2, 2, a -> Int.of(integer("quotient", a[0]) / divisor("quotient", a[1])));
        r.def("remainder", 2, 2, a -> Int.of(integer("remainder", a[0]) % divisor("remainder", a[1])));
        r.def("modulo", 2, 2, a -> Int.of(Math.floorMod(integer("modulo", a[0]), divisor("modulo", a[1]))));
        r.def("abs", 1, 1, a -> {
            Value v = number("abs", a[0]);
            return v instanceof Int x ? Int.of(Math.abs(x.value())) : new Real(Math.abs(((Real) v).value()));
        });
        r.def("min", 1, -1, a -> extreme("min", a, true));
        r.def("max", 1, -1, a -> extreme("max", a, false));
        r.def("expt", 2, 2, a -> {
            Value b = number("expt", a[0]);
            Value e = number("expt", a[1]);
            if (b instanceof Int x && e instanceof Int y && y.value() >= 0) {
                return Int.of(powWrapping(x.value(), y.value()));
            }
            return new Real(Math.pow(toDouble("expt", b), toDouble("expt", e)));
        });
        compare(r, "=", EQ, Native.NUM_EQ);
        compare(r, "<", LT, Native.LT);
        compare(r, ">", GT, Native.GT);
        compare(r, "<=", LE, Native.LE);
        compare(r, ">=", GE, Native.GE);
    }

    static double toDouble(String who, Value v) throws LispRuntimeException {
        if (v instanceof Int i) {
            return i.value();
        }
        if (v instanceof Real r) {
            return r.value();
        }
        throw Registry.typeError(who, "number", v);
    }

    private static long divisor(String who, Value v) throws LispRuntimeException {
        long d = integer(who, v);
        if (d == 0) {
            throw new LispRuntimeException(who + ": division by zero");
        }
        return d;
    }

    private static Value extreme(String who, Value[] a, boolean min) throws LispRuntimeException {
        boolean anyFloat = false;
        Value best = number(who, a[0]);
        anyFloat |= best instanceof Real;
        for (int i = 1; i < a.length; i++) {
            Value v = number(who, a[i]);
            anyFloat |= v instanceof Real;
            double dv = toDouble(who, v);
            double db = toDouble(who, best);
            if (min ? dv < db : dv > db) {
                best = v;
            }
        }
        return anyFloat && best instanceof Int x ? new Real(x.value()) : best;
    }

    private static long powWrapping(long base, long exp) {
        long result = 1;
        long b = base;
        long e = exp;
        while (e > 0) {
            if ((e & 1) == 1) {
                result *= b;
            }
            b *= b;
            e >>= 1;
        }
        return result;
    }

    private static final int EQ = 0;
    private static final int LT = 1;
    private static final int GT = 2;
    private static final int LE = 3;
    private static final int GE = 4;

    private static void compare(Registry r, String name, int op, int inline) {
        r.defInline(name, inline, 0, -1, a -> {
            if (a.length == 2 && a[0] instanceof Int x && a[1] instanceof Int y) {
                return Bool.of(test(op, Long.compare(x.value(), y.value())));
            }
            if (a.length < 2) {
                throw new LispRuntimeException(name + ": requires at least 2 arguments");
            }
            boolean result = true;
            for (int i = 0; i + 1 < a.length; i++) {
                if (!holds(name, op, a[i], a[i + 1])) {
                    result = false;
                }
            }
            return Bool.of(result);
        });
    }

    private static boolean test(int op, int c) {
        return switch (op) {
            case EQ -> c == 0;
            case LT -> c < 0;
            case GT -> c > 0;
            case LE -> c <= 0;
            default -> c >= 0;
        };
    }

    private static boolean holds(String name, int op, Value x, Value y) throws LispRuntimeException {
        int c;
        if (x instanceof Int a && y instanceof Int b) {
            c = Long.compare(a.value(), b.value());
        } else {
            double a = toDouble(name, x);
            double b = toDouble(name, y);
            if (Double.isNaN(a) || Double.isNaN(b)) {
                return false;
            }
            c = Double.compare(a == 0 ? 0.0 : a, b == 0 ? 0.0 : b);
        }
        return test(op, c);
    }
}
