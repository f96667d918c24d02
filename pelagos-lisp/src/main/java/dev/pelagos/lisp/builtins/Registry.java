package dev.pelagos.lisp.builtins;

import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.eval.Env;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Native;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Procedure;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.util.List;

/** Defines builtins in the global frame, and the argument checks they share. */
public final class Registry {
    private final Env global;

    public Registry(Env global) {
        this.global = global;
    }

    /** {@code max < 0}: any number of arguments from {@code min} on. */
    public void def(String name, int min, int max, Native.Body body) {
        global.define(Sym.of(name), new Native(name, min, max, body));
    }

    /** A builtin the evaluator may compute inline for two integers ({@link Native#ADD} ...). */
    void defInline(String name, int inline, int min, int max, Native.Body body) {
        global.define(Sym.of(name), new Native(name, min, max, body, inline));
    }

    public static LispRuntimeException typeError(String who, String expected, Value got) {
        return new LispRuntimeException(who + ": expected " + expected + ", got " + got.typeName());
    }

    public static Value number(String who, Value v) throws LispRuntimeException {
        if (v instanceof Int || v instanceof Real) {
            return v;
        }
        throw typeError(who, "number", v);
    }

    public static long integer(String who, Value v) throws LispRuntimeException {
        if (v instanceof Int i) {
            return i.value();
        }
        throw typeError(who, "integer", v);
    }

    public static String string(String who, Value v) throws LispRuntimeException {
        if (v instanceof Str s) {
            return s.value();
        }
        throw typeError(who, "string", v);
    }

    /** A string or a symbol's name (names of services, projects, ...). */
    public static String name(String who, Value v) throws LispRuntimeException {
        if (v instanceof Str s) {
            return s.value();
        }
        if (v instanceof Sym s) {
            return s.name();
        }
        throw typeError(who, "string or symbol", v);
    }

    public static Pair pair(String who, Value v) throws LispRuntimeException {
        if (v instanceof Pair p) {
            return p;
        }
        throw typeError(who, "pair", v);
    }

    public static Procedure procedure(String who, Value v) throws LispRuntimeException {
        if (v instanceof Procedure p) {
            return p;
        }
        throw typeError(who, "procedure", v);
    }

    public static List<Value> list(String who, Value v) throws LispRuntimeException {
        List<Value> l = Values.toList(v);
        if (l == null) {
            throw typeError(who, "list", v);
        }
        return l;
    }

    /** Refuses strings that would exceed the interpreter's limit. */
    public static Str checkedString(String who, CharSequence s) throws LispRuntimeException {
        if (s.length() > dev.pelagos.lisp.Limits.MAX_STRING_CHARS) {
            throw tooLong(who);
        }
        return new Str(s.toString());
    }

    public static LispRuntimeException tooLong(String who) {
        return new LispRuntimeException(who + ": string too long (limit " + dev.pelagos.lisp.Limits.MAX_STRING_CHARS
                + " characters)");
    }
}
