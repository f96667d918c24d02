package dev.pelagos.lisp.value;

import java.math.BigDecimal;

/** The printed representation of values (REFERENCE §2.2). */
public final class Printer {
    private Printer() {
    }

    /** {@code write} form: strings quoted and escaped. */
    public static String write(Value v) {
        StringBuilder sb = new StringBuilder();
        print(sb, v, true);
        return sb.toString();
    }

    /** {@code display} form: a string prints as its raw text, everything else as {@link #write}. */
    public static String display(Value v) {
        return v instanceof Str s ? s.value() : write(v);
    }

    public static void print(StringBuilder sb, Value v, boolean quoteStrings) {
        switch (v) {
            case Nil n -> sb.append("()");
            case Bool b -> sb.append(b.value() ? "#t" : "#f");
            case Int i -> sb.append(i.value());
            case Real r -> sb.append(printFloat(r.value()));
            case Str s -> {
                if (quoteStrings) {
                    escape(sb, s.value());
                } else {
                    sb.append(s.value());
                }
            }
            case Sym s -> sb.append(s.name());
            case Pair p -> printList(sb, p, quoteStrings);
            case Lambda l -> sb.append("#<lambda>");
            case Native n -> sb.append("#<procedure:").append(n.name()).append('>');
            case Macro m -> sb.append("#<macro:").append(m.name()).append('>');
            case ServiceSpec s -> sb.append("#<service:").append(s.name()).append('>');
            case NetworkSpec n -> sb.append("#<network:").append(n.name()).append('>');
            case VolumeSpec vs -> sb.append("#<volume:").append(vs.name()).append('>');
            case ComposeSpec c -> sb.append("#<compose-spec>");
            case ContainerValue c -> sb.append("#<container ").append(c.name()).append('>');
            case PendingContainer p -> sb.append("#<pending-container>");
            case FutureValue f -> {
                sb.append("#<future:").append(f.name());
                if (!f.upstream().isEmpty()) {
                    sb.append(" after:").append(f.upstream().size());
                }
                sb.append('>');
            }
        }
    }

    private static void printList(StringBuilder sb, Pair p, boolean quoteStrings) {
        sb.append('(');
        Value cur = p;
        boolean first = true;
        while (cur instanceof Pair cell) {
            if (!first) {
                sb.append(' ');
            }
            print(sb, cell.car(), quoteStrings);
            first = false;
            cur = cell.cdr();
        }
        if (cur != Nil.NIL) {
            sb.append(" . ");
            print(sb, cur, quoteStrings);
        }
        sb.append(')');
    }

    private static void escape(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }

    /** A float as the printer shows it: whole values keep {@code .0} ({@code 3.0}), never exponents. */
    public static String printFloat(double d) {
        String s = plainFloat(d);
        if (Double.isFinite(d) && d == Math.rint(d)) {
            return s + ".0";
        }
        return s;
    }

    /**
     * The shortest decimal that reads back as {@code d}, without exponent and without a trailing
     * {@code .0} (how {@code number->string} shows floats: {@code 3.0} becomes {@code "3"}).
     */
    public static String plainFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
