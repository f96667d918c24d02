package dev.pelagos.lisp.read;

import dev.pelagos.lisp.Limits;
import dev.pelagos.lisp.LispSyntaxException;
import dev.pelagos.lisp.SourcePos;
import dev.pelagos.lisp.value.Bool;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a whole program into {@link Syntax} forms (REFERENCE §2.1). Nesting is handled with an
 * explicit stack, so deeply nested input cannot overflow the Java stack here.
 */
public final class Reader {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Sym QUOTE = Sym.of("quote");
    private static final Sym QUASIQUOTE = Sym.of("quasiquote");
    private static final Sym UNQUOTE = Sym.of("unquote");
    private static final Sym UNQUOTE_SPLICING = Sym.of("unquote-splicing");

    private final String text;
    private final String file;
    private int at;
    private int line = 1;
    private int col = 1;

    private Reader(String text, String file) {
        this.text = text;
        this.file = file;
    }

    /** Every top-level form of {@code text}; {@code file} names the source in positions. */
    public static List<Syntax> readAll(String text, String file) throws LispSyntaxException {
        return new Reader(text, file).readForms();
    }

    /** An open list being filled, or a pending reader macro ({@code 'x}) waiting for its datum. */
    private static final class Frame {
        final SourcePos pos;
        final Sym macro; // non-null: a reader macro frame
        final List<Syntax> items = new ArrayList<>();
        Syntax tail;
        boolean afterDot;

        Frame(SourcePos pos, Sym macro) {
            this.pos = pos;
            this.macro = macro;
        }
    }

    private List<Syntax> readForms() throws LispSyntaxException {
        List<Syntax> top = new ArrayList<>();
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        while (true) {
            skipBlank();
            SourcePos here = pos();
            if (at >= text.length()) {
                if (!stack.isEmpty()) {
                    Frame open = innermostList(stack);
                    if (open == null || stack.peek().macro != null) {
                        throw new LispSyntaxException("unexpected end of input", here);
                    }
                    throw new LispSyntaxException("unmatched '('", open.pos);
                }
                return top;
            }
            if (stack.size() > Limits.MAX_NESTING) {
                throw new LispSyntaxException("nesting too deep (more than " + Limits.MAX_NESTING + " levels)", here);
            }
            char c = text.charAt(at);
            Syntax done;
            switch (c) {
                case '(' -> {
                    advance();
                    stack.push(new Frame(here, null));
                    continue;
                }
                case ')' -> {
                    advance();
                    Frame f = stack.peek();
                    if (f == null) {
                        throw new LispSyntaxException("unexpected ')'", here);
                    }
                    if (f.macro != null) {
                        throw new LispSyntaxException("expected atom", here);
                    }
                    if (f.afterDot && f.tail == null) {
                        throw new LispSyntaxException("dotted pair: expected tail after '.'", here);
                    }
                    stack.pop();
                    done = f.items.isEmpty() && f.tail == null
                            ? new Syntax.Atom(Nil.NIL, f.pos)
                            : new Syntax.ListForm(f.items, f.tail, f.pos);
                }
                case '\'', '`', ',' -> {
                    advance();
                    Sym macro = c == '\'' ? QUOTE : c == '`' ? QUASIQUOTE : UNQUOTE;
                    if (c == ',' && at < text.length() && text.charAt(at) == '@') {
                        advance();
                        macro = UNQUOTE_SPLICING;
                    }
                    stack.push(new Frame(here, macro));
                    continue;
                }
                case '"' -> done = new Syntax.Atom(new Str(readString(here)), here);
                default -> {
                    if (c == '.' && isLoneDot()) {
                        advance();
                        Frame f = stack.peek();
                        if (f == null || f.macro != null || f.items.isEmpty() || f.afterDot) {
                            throw new LispSyntaxException("unexpected '.'", here);
                        }
                        f.afterDot = true;
                        continue;
                    }
                    done = new Syntax.Atom(classify(readAtomText()), here);
                }
            }
            // Attach the finished datum, closing reader-macro frames around it.
            while (true) {
                Frame f = stack.peek();
                if (f == null) {
                    top.add(done);
                    break;
                }
                if (f.macro != null) {
                    stack.pop();
                    done = new Syntax.ListForm(List.of(new Syntax.Atom(f.macro, f.pos), done), null, f.pos);
                    continue;
                }
                if (f.afterDot) {
                    if (f.tail != null) {
                        throw new LispSyntaxException("dotted pair: expected ')' after tail expression", done.pos());
                    }
                    f.tail = done;
                } else {
                    f.items.add(done);
                }
                break;
            }
        }
    }

    private static Frame innermostList(ArrayDeque<Frame> stack) {
        for (Frame f : stack) {
            if (f.macro == null) {
                return f;
            }
        }
        return null;
    }

    private boolean isLoneDot() {
        if (at + 1 >= text.length()) {
            return true;
        }
        char n = text.charAt(at + 1);
        return Character.isWhitespace(n) || n == '(' || n == ')' || n == ';' || n == '"';
    }

    private String readString(SourcePos start) throws LispSyntaxException {
        advance(); // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw new LispSyntaxException("unterminated string", start);
            }
            char c = text.charAt(at);
            advance();
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (at >= text.length()) {
                    throw new LispSyntaxException("unterminated escape in string", start);
                }
                char e = text.charAt(at);
                advance();
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    default -> sb.append('\\').append(e);
                }
            } else {
                sb.append(c);
            }
            if (sb.length() > Limits.MAX_STRING_CHARS) {
                throw new LispSyntaxException("string literal too long (more than " + Limits.MAX_STRING_CHARS
                        + " characters)", start);
            }
        }
    }

    private String readAtomText() {
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c) || c == '(' || c == ')' || c == ';' || c == '"' || c == '\''
                    || c == '`' || c == ',') {
                break;
            }
            advance();
        }
        return text.substring(start, at);
    }

    /** What an atom's text means: boolean, integer, float, or symbol (keywords are symbols). */
    public static Value classify(String s) {
        switch (s) {
            case "#t", "#true" -> {
                return Bool.TRUE;
            }
            case "#f", "#false" -> {
                return Bool.FALSE;
            }
            default -> {
            }
        }
        char c0 = s.charAt(0);
        if ((c0 >= '0' && c0 <= '9') || c0 == '+' || c0 == '-' || c0 == '.') {
            if (INTEGER.matcher(s).matches()) {
                try {
                    return Int.of(Long.parseLong(s));
                } catch (NumberFormatException tooBig) {
                    // falls through: out of i64 range, like the reference
                }
            }
            if ((s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) && FLOAT.matcher(s).matches()) {
                return new Real(Double.parseDouble(s));
            }
        }
        return Sym.of(s);
    }

    private void skipBlank() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ';') {
                while (at < text.length() && text.charAt(at) != '\n') {
                    advance();
                }
            } else if (Character.isWhitespace(c)) {
                advance();
            } else {
                return;
            }
        }
    }

    private void advance() {
        char c = text.charAt(at++);
        if (c == '\n') {
            line++;
            col = 1;
        } else if (!Character.isLowSurrogate(c)) {
            col++;
        }
    }

    private SourcePos pos() {
        return new SourcePos(file, line, col);
    }
}
