package dev.pelagos.lisp.builtins;

import static dev.pelagos.lisp.builtins.Registry.integer;
import static dev.pelagos.lisp.builtins.Registry.string;

import dev.pelagos.lisp.Limits;
import dev.pelagos.lisp.LispHost;
import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.eval.Evaluator;
import dev.pelagos.lisp.read.Reader;
import dev.pelagos.lisp.value.Bool;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import java.util.Locale;

/** Strings, symbols, output, {@code format}, {@code error} and {@code sleep}. */
final class TextBuiltins {
    private TextBuiltins() {
    }

    static void install(Registry r, LispHost host, Evaluator ev) {
        r.def("string-append", 0, -1, a -> {
            long total = 0;
            for (Value v : a) {
                total += string("string-append", v).length();
            }
            if (total > Limits.MAX_STRING_CHARS) {
                throw Registry.tooLong("string-append");
            }
            StringBuilder sb = new StringBuilder((int) total);
            for (Value v : a) {
                sb.append(((Str) v).value());
            }
            return new Str(sb.toString());
        });
        r.def("string-length", 1, 1, a -> {
            String s = string("string-length", a[0]);
            return Int.of(s.codePointCount(0, s.length()));
        });
        r.def("substring", 2, 3, a -> {
            String s = string("substring", a[0]);
            int chars = s.codePointCount(0, s.length());
            long start = integer("substring", a[1]);
            long end = a.length > 2 ? integer("substring", a[2]) : chars;
            if (start < 0 || end > chars || start > end) {
                throw new LispRuntimeException("substring: index out of range");
            }
            if (chars == s.length()) {
                // no surrogate pairs: character and code point indices agree (the common case; O(1))
                return new Str(s.substring((int) start, (int) end));
            }
            int from = s.offsetByCodePoints(0, (int) start);
            int to = s.offsetByCodePoints(from, (int) (end - start));
            return new Str(s.substring(from, to));
        });
        r.def("string->number", 1, 2, a -> {
            String s = string("string->number", a[0]);
            long radix = a.length > 1 ? integer("string->number", a[1]) : 10;
            if (radix == 10) {
                if (s.isEmpty()) {
                    return Bool.FALSE;
                }
                Value v = Reader.classify(s);
                return v instanceof Int || v instanceof Real ? v : Bool.FALSE;
            }
            if (radix < Character.MIN_RADIX || radix > Character.MAX_RADIX) {
                throw new LispRuntimeException("string->number: unsupported radix " + radix);
            }
            try {
                return Int.of(Long.parseLong(s, (int) radix));
            } catch (NumberFormatException e) {
                return Bool.FALSE;
            }
        });
        r.def("number->string", 1, 2, a -> {
            Value n = Registry.number("number->string", a[0]);
            long radix = a.length > 1 ? integer("number->string", a[1]) : 10;
            if (radix != 2 && radix != 8 && radix != 10 && radix != 16) {
                throw new LispRuntimeException("number->string: unsupported radix");
            }
            if (n instanceof Int i) {
                return new Str(Long.toString(i.value(), (int) radix));
            }
            if (radix != 10) {
                throw new LispRuntimeException("number->string: unsupported radix");
            }
            return new Str(Printer.plainFloat(((Real) n).value()));
        });
        r.def("string-upcase", 1, 1, a -> new Str(string("string-upcase", a[0]).toUpperCase(Locale.ROOT)));
        r.def("string-downcase", 1, 1, a -> new Str(string("string-downcase", a[0]).toLowerCase(Locale.ROOT)));
        r.def("string=?", 2, 2, a -> Bool.of(string("string=?", a[0]).equals(string("string=?", a[1]))));
        r.def("string<?", 2, 2, a -> Bool.of(string("string<?", a[0]).compareTo(string("string<?", a[1])) < 0));
        r.def("string>?", 2, 2, a -> Bool.of(string("string>?", a[0]).compareTo(string("string>?", a[1])) > 0));
        r.def("string-contains", 2, 2,
                a -> Bool.of(string("string-contains", a[0]).contains(string("string-contains", a[1]))));
        r.def("symbol->string", 1, 1, a -> {
            if (a[0] instanceof Sym s) {
                return new Str(s.name());
            }
            throw Registry.typeError("symbol->string", "symbol", a[0]);
        });
        r.def("string->symbol", 1, 1, a -> Sym.of(string("string->symbol", a[0])));

        r.def("display", 1, -1, a -> {
            host.print(Printer.display(a[0]));
            return Nil.NIL;
        });
        r.def("write", 1, -1, a -> {
            host.print(Printer.write(a[0]));
            return Nil.NIL;
        });
        r.def("newline", 0, -1, a -> {
            host.print("\n");
            return Nil.NIL;
        });
        r.def("error", 0, -1, a -> {
            throw new LispRuntimeException(errorMessage(a));
        });
        r.def("format", 1, -1, a -> format(a));
        r.def("sleep", 1, 1, a -> {
            double secs = NumberBuiltins.toDouble("sleep", a[0]);
            if (!(secs >= 0)) {
                throw new LispRuntimeException("sleep: expected a non-negative number of seconds, got "
                        + Printer.write(a[0]));
            }
            long until = System.nanoTime() + (long) Math.min(secs * 1e9, Long.MAX_VALUE / 2.0);
            while (true) {
                ev.checkStop();
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return Nil.NIL;
                }
                try {
                    Thread.sleep(Math.min(left / 1_000_000 + 1, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ev.checkStop();
                    throw LispRuntimeException.fatal("sleep: interrupted", e);
                }
            }
        });
    }

    /** First argument raw if a string (else printed), then the rest printed, joined by spaces. */
    static String errorMessage(Value[] a) {
        if (a.length == 0) {
            return "error";
        }
        StringBuilder sb = new StringBuilder(Printer.display(a[0]));
        for (int i = 1; i < a.length; i++) {
            sb.append(' ').append(Printer.write(a[i]));
        }
        return sb.toString();
    }

    private static Value format(Value[] a) throws LispRuntimeException {
        String fmt = string("format", a[0]);
        StringBuilder sb = new StringBuilder();
        int next = 1;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '~' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            switch (d) {
                case 'a', 'A', 's', 'S' -> {
                    if (next >= a.length) {
                        throw new LispRuntimeException("format: too few arguments");
                    }
                    Value v = a[next++];
                    sb.append(d == 'a' || d == 'A' ? Printer.display(v) : Printer.write(v));
                }
                case '%' -> sb.append('\n');
                case '~' -> sb.append('~');
                default -> sb.append('~').append(d);
            }
            if (sb.length() > Limits.MAX_STRING_CHARS) {
                throw Registry.tooLong("format");
            }
        }
        return new Str(sb.toString());
    }
}
