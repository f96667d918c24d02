package dev.pelagos.lisp.eval;

import dev.pelagos.lisp.SourcePos;
import dev.pelagos.lisp.read.Syntax;
import dev.pelagos.lisp.read.Syntax.Atom;
import dev.pelagos.lisp.read.Syntax.ListForm;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns read forms into {@link Node}s: recognises the 18 special forms by name (they cannot be
 * shadowed), desugars {@code when}/{@code unless}/{@code (define (f x) ...)}, and compiles
 * quasiquote templates. A malformed special form becomes a {@link Nodes.Fail} that raises the
 * reference's message when evaluated, so {@code guard} can still catch it.
 */
final class Analyzer {
    static final Sym QUOTE = Sym.of("quote");
    static final Sym QUASIQUOTE = Sym.of("quasiquote");
    static final Sym UNQUOTE = Sym.of("unquote");
    static final Sym UNQUOTE_SPLICING = Sym.of("unquote-splicing");
    static final Sym ELSE = Sym.of("else");
    static final Set<String> SPECIAL_FORMS = Set.of("quote", "quasiquote", "if", "cond", "when", "unless", "and",
            "or", "begin", "define", "set!", "lambda", "defmacro", "let", "let*", "letrec", "do", "guard");

    private static final Node[] NO_NODES = new Node[0];

    /** Thrown inside the analyser to abandon one special form; turned into a {@link Nodes.Fail}. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    Node analyze(Syntax s) {
        if (s instanceof Atom a) {
            Value v = a.value();
            if (v instanceof Sym sym && !sym.isKeyword()) {
                return new Nodes.Ref(sym, a.pos());
            }
            return new Nodes.Const(v, a.pos());
        }
        ListForm form = (ListForm) s;
        if (form.tail() != null) {
            return new Nodes.Fail("cannot evaluate a dotted list: " + Printer.write(form.toValue()), form.pos());
        }
        if (form.head() instanceof Atom h && h.value() instanceof Sym sym && SPECIAL_FORMS.contains(sym.name())) {
            try {
                return special(sym.name(), form);
            } catch (Malformed m) {
                return new Nodes.Fail(m.getMessage(), form.pos());
            }
        }
        Node head = analyze(form.head());
        Node[] args = new Node[form.size() - 1];
        for (int i = 1; i < form.size(); i++) {
            args[i - 1] = analyze(form.items().get(i));
        }
        return new Nodes.App(head, args, form, form.pos());
    }

    private Node special(String name, ListForm f) throws Malformed {
        List<Syntax> it = f.items();
        int argc = it.size() - 1;
        SourcePos pos = f.pos();
        switch (name) {
            case "quote" -> {
                if (argc != 1) {
                    throw new Malformed("quote: expected 1 argument");
                }
                return new Nodes.Const(it.get(1).toValue(), pos);
            }
            case "quasiquote" -> {
                if (argc != 1) {
                    throw new Malformed("quasiquote: expected 1 argument");
                }
                Nodes.Template t = template(it.get(1));
                return t instanceof Nodes.Fixed fixed ? new Nodes.Const(fixed.value(), pos) : new Nodes.Quasi(t, pos);
            }
            case "if" -> {
                if (argc != 2 && argc != 3) {
                    throw new Malformed("if: expected 2 or 3 arguments");
                }
                Node otherwise = argc == 3 ? analyze(it.get(3)) : nil(pos);
                return new Nodes.If(analyze(it.get(1)), analyze(it.get(2)), otherwise, pos);
            }
            case "when", "unless" -> {
                if (argc < 1) {
                    throw new Malformed(name + ": expected a condition");
                }
                Node body = body(it, 2, pos);
                Node test = analyze(it.get(1));
                return name.equals("when") ? new Nodes.If(test, body, nil(pos), pos) : new Nodes.If(test, nil(pos), body, pos);
            }
            case "cond" -> {
                return cond(it, pos);
            }
            case "and", "or" -> {
                Node[] parts = analyzeAll(it, 1);
                if (parts.length == 0) {
                    return new Nodes.Const(dev.pelagos.lisp.value.Bool.of(name.equals("and")), pos);
                }
                if (parts.length == 1) {
                    return parts[0];
                }
                return name.equals("and") ? new Nodes.And(parts, pos) : new Nodes.Or(parts, pos);
            }
            case "begin" -> {
                return body(it, 1, pos);
            }
            case "define" -> {
                return define(it, pos);
            }
            case "set!" -> {
                if (argc != 2) {
                    throw new Malformed("set!: expected 2 arguments");
                }
                return new Nodes.SetBang(symbol("set!", it.get(1)), analyze(it.get(2)), pos);
            }
            case "lambda" -> {
                if (argc < 1) {
                    throw new Malformed("lambda: expected parameters and body");
                }
                return lambda("lambda", it.get(1), it, 2, pos);
            }
            case "defmacro" -> {
                if (argc < 2) {
                    throw new Malformed("defmacro: expected a name, parameters and body");
                }
                Sym mname = symbol("defmacro", it.get(1));
                return new Nodes.DefMacro(mname, lambda(mname.name(), it.get(2), it, 3, pos), pos);
            }
            case "let" -> {
                return let(it, pos);
            }
            case "let*", "letrec" -> {
                if (argc < 1) {
                    throw new Malformed(name + ": expected bindings and body");
                }
                List<Sym> names = new ArrayList<>();
                List<Node> inits = new ArrayList<>();
                bindings(name, it.get(1), names, inits);
                Node body = body(it, 2, pos);
                Sym[] ns = names.toArray(new Sym[0]);
                Node[] is = inits.toArray(NO_NODES);
                return name.equals("let*") ? new Nodes.LetStar(ns, is, body, pos) : new Nodes.Letrec(ns, is, body, pos);
            }
            case "do" -> {
                return doLoop(it, pos);
            }
            case "guard" -> {
                return guard(it, pos);
            }
            default -> throw new IllegalStateException("not a special form: " + name);
        }
    }

    private Node cond(List<Syntax> it, SourcePos pos) throws Malformed {
        int n = it.size() - 1;
        Node[] tests = new Node[n];
        Node[] bodies = new Node[n];
        for (int i = 0; i < n; i++) {
            Syntax clause = it.get(i + 1);
            if (!(clause instanceof ListForm c) || c.tail() != null) {
                if (clause instanceof Atom a && a.value() == Nil.NIL) {
                    throw new Malformed("cond: empty clause");
                }
                throw new Malformed("cond: clause must be a list");
            }
            boolean isElse = c.head() instanceof Atom h && h.value() == ELSE;
            tests[i] = isElse ? null : analyze(c.head());
            bodies[i] = body(c.items(), 1, c.pos());
        }
        return new Nodes.Cond(tests, bodies, pos);
    }

    private Node define(List<Syntax> it, SourcePos pos) throws Malformed {
        if (it.size() < 2) {
            throw new Malformed("define: expected a name");
        }
        Syntax target = it.get(1);
        if (target instanceof ListForm sig) {
            // (define (f p... [. rest]) body...)
            Sym fname = symbol("define", sig.head());
            List<Syntax> params = sig.items().subList(1, sig.size());
            ListForm paramForm = new ListForm(params, sig.tail(), sig.pos());
            Syntax paramSyntax = params.isEmpty() && sig.tail() == null ? new Atom(Nil.NIL, sig.pos())
                    : params.isEmpty() ? sig.tail() : paramForm;
            return new Nodes.Define(fname, lambda(fname.name(), paramSyntax, it, 2, pos), pos);
        }
        Sym name = symbol("define", target);
        if (it.size() > 3) {
            throw new Malformed("define: expected 1 or 2 arguments");
        }
        Node value = it.size() == 3 ? analyze(it.get(2)) : nil(pos);
        if (value instanceof Nodes.LambdaNode l && l.name == null) {
            value = new Nodes.LambdaNode(name.name(), l.frameNames, l.variadic, l.body, l.pos);
        }
        return new Nodes.Define(name, value, pos);
    }

    private Nodes.LambdaNode lambda(String who, Syntax params, List<Syntax> it, int bodyFrom, SourcePos pos)
            throws Malformed {
        List<Sym> names = new ArrayList<>();
        boolean variadic = false;
        if (params instanceof Atom a && a.value() instanceof Sym all) {
            names.add(all);
            variadic = true;
        } else if (params instanceof ListForm pl) {
            for (Syntax p : pl.items()) {
                names.add(param(who, p));
            }
            if (pl.tail() != null) {
                names.add(param(who, pl.tail()));
                variadic = true;
            }
        } else if (!(params instanceof Atom a2 && a2.value() == Nil.NIL)) {
            throw new Malformed(who + ": parameters must be a list or a symbol, got " + params.toValue().typeName());
        }
        String name = who.equals("lambda") ? null : who;
        return new Nodes.LambdaNode(name, names.toArray(new Sym[0]), variadic, body(it, bodyFrom, pos), pos);
    }

    private static Sym param(String who, Syntax p) throws Malformed {
        if (p instanceof Atom a && a.value() instanceof Sym s) {
            return s;
        }
        throw new Malformed(who + ": parameter must be a symbol, got " + p.toValue().typeName());
    }

    private Node let(List<Syntax> it, SourcePos pos) throws Malformed {
        if (it.size() < 2) {
            throw new Malformed("let: expected bindings and body");
        }
        if (it.get(1) instanceof Atom a && a.value() instanceof Sym loopName) {
            // named let
            if (it.size() < 3) {
                throw new Malformed("let: expected bindings after the loop name");
            }
            List<Sym> names = new ArrayList<>();
            List<Node> inits = new ArrayList<>();
            bindings("let", it.get(2), names, inits);
            Nodes.LambdaNode loop = new Nodes.LambdaNode(loopName.name(), names.toArray(new Sym[0]), false,
                    body(it, 3, pos), pos);
            return new Nodes.NamedLet(loopName, loop, inits.toArray(NO_NODES), pos);
        }
        List<Sym> names = new ArrayList<>();
        List<Node> inits = new ArrayList<>();
        bindings("let", it.get(1), names, inits);
        return new Nodes.Let(names.toArray(new Sym[0]), inits.toArray(NO_NODES), body(it, 2, pos), pos);
    }

    private void bindings(String who, Syntax s, List<Sym> names, List<Node> inits) throws Malformed {
        if (s instanceof Atom a && a.value() == Nil.NIL) {
            return;
        }
        if (!(s instanceof ListForm list) || list.tail() != null) {
            throw new Malformed(who + ": bindings must be a list");
        }
        for (Syntax b : list.items()) {
            if (!(b instanceof ListForm bl) || bl.tail() != null || bl.size() < 1 || bl.size() > 2
                    || !(bl.head() instanceof Atom na && na.value() instanceof Sym)) {
                throw new Malformed(who + ": each binding must be (name value)");
            }
            names.add((Sym) ((Atom) bl.head()).value());
            inits.add(bl.size() == 2 ? analyze(bl.items().get(1)) : nil(bl.pos()));
        }
    }

    private Node doLoop(List<Syntax> it, SourcePos pos) throws Malformed {
        String usage = "do: expected ((var init [step])...) (test result...) body...";
        if (it.size() < 3 || !(it.get(2) instanceof ListForm testClause) || testClause.tail() != null) {
            throw new Malformed(usage);
        }
        List<Sym> vars = new ArrayList<>();
        List<Node> inits = new ArrayList<>();
        List<Node> steps = new ArrayList<>();
        Syntax specs = it.get(1);
        if (!(specs instanceof Atom a && a.value() == Nil.NIL)) {
            if (!(specs instanceof ListForm sl) || sl.tail() != null) {
                throw new Malformed(usage);
            }
            for (Syntax spec : sl.items()) {
                if (!(spec instanceof ListForm v) || v.tail() != null || v.size() < 2 || v.size() > 3
                        || !(v.head() instanceof Atom va && va.value() instanceof Sym)) {
                    throw new Malformed("do: each variable must be (var init [step])");
                }
                vars.add((Sym) ((Atom) v.head()).value());
                inits.add(analyze(v.items().get(1)));
                steps.add(v.size() == 3 ? analyze(v.items().get(2)) : null);
            }
        }
        Node test = analyze(testClause.head());
        Node result = body(testClause.items(), 1, testClause.pos());
        return new Nodes.Do(vars.toArray(new Sym[0]), inits.toArray(NO_NODES), steps.toArray(NO_NODES), test, result,
                body(it, 3, pos), pos);
    }

    private Node guard(List<Syntax> it, SourcePos pos) throws Malformed {
        if (it.size() < 2 || !(it.get(1) instanceof ListForm spec) || spec.tail() != null
                || !(spec.head() instanceof Atom va && va.value() instanceof Sym var)) {
            throw new Malformed("guard: expected (var clause...) body...");
        }
        int n = spec.size() - 1;
        Node[] tests = new Node[n];
        Node[] bodies = new Node[n];
        for (int i = 0; i < n; i++) {
            if (!(spec.items().get(i + 1) instanceof ListForm c) || c.tail() != null) {
                throw new Malformed("guard: clause must be a list");
            }
            boolean isElse = c.head() instanceof Atom h && h.value() == ELSE;
            tests[i] = isElse ? null : analyze(c.head());
            bodies[i] = body(c.items(), 1, c.pos());
        }
        return new Nodes.Guard(var, tests, bodies, body(it, 2, pos), pos);
    }

    private Nodes.Template template(Syntax s) {
        if (s instanceof Atom a) {
            return new Nodes.Fixed(a.value());
        }
        ListForm f = (ListForm) s;
        if (f.tail() == null && f.size() == 2 && f.head() instanceof Atom h && h.value() == UNQUOTE) {
            return new Nodes.Unquote(analyze(f.items().get(1)));
        }
        List<Nodes.Template> items = new ArrayList<>();
        List<Boolean> splice = new ArrayList<>();
        Nodes.Template tail = f.tail() == null ? null : template(f.tail());
        List<Syntax> its = f.items();
        for (int i = 0; i < its.size(); i++) {
            Syntax item = its.get(i);
            // `(a . ,x) reads as (a unquote x): an unquote in the next-to-last place is the tail.
            if (i > 0 && i == its.size() - 2 && f.tail() == null && item instanceof Atom ua
                    && (ua.value() == UNQUOTE || ua.value() == UNQUOTE_SPLICING)) {
                tail = new Nodes.Unquote(analyze(its.get(i + 1)));
                break;
            }
            if (item instanceof ListForm il && il.tail() == null && il.size() == 2
                    && il.head() instanceof Atom ih && ih.value() == UNQUOTE_SPLICING) {
                items.add(new Nodes.Unquote(analyze(il.items().get(1))));
                splice.add(true);
            } else {
                items.add(template(item));
                splice.add(false);
            }
        }
        boolean fixed = (tail == null || tail instanceof Nodes.Fixed) && !splice.contains(true)
                && items.stream().allMatch(t -> t instanceof Nodes.Fixed);
        if (fixed) {
            return new Nodes.Fixed(s.toValue());
        }
        boolean[] sp = new boolean[splice.size()];
        for (int i = 0; i < sp.length; i++) {
            sp[i] = splice.get(i);
        }
        return new Nodes.ListTemplate(items.toArray(new Nodes.Template[0]), sp, tail);
    }

    /** The forms from {@code from} on as one node: a constant {@code ()} when empty. */
    private Node body(List<Syntax> it, int from, SourcePos pos) {
        if (from >= it.size()) {
            return nil(pos);
        }
        if (from == it.size() - 1) {
            return analyze(it.get(from));
        }
        return new Nodes.Seq(analyzeAll(it, from), pos);
    }

    private Node[] analyzeAll(List<Syntax> it, int from) {
        Node[] out = new Node[Math.max(0, it.size() - from)];
        for (int i = from; i < it.size(); i++) {
            out[i - from] = analyze(it.get(i));
        }
        return out;
    }

    private static Sym symbol(String who, Syntax s) throws Malformed {
        if (s instanceof Atom a && a.value() instanceof Sym sym) {
            return sym;
        }
        throw new Malformed(who + ": expected a symbol, got " + s.toValue().typeName());
    }

    private static Node nil(SourcePos pos) {
        return new Nodes.Const(Nil.NIL, pos);
    }
}
