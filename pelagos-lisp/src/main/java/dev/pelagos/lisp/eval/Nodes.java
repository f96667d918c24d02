package dev.pelagos.lisp.eval;

import dev.pelagos.lisp.SourcePos;
import dev.pelagos.lisp.read.Syntax;
import dev.pelagos.lisp.value.Macro;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;

/** The analysed forms, one class per special form plus constants, variables and applications. */
final class Nodes {
    private Nodes() {
    }

    static final class Const extends Node {
        final Value value;

        Const(Value value, SourcePos pos) {
            super(CONST, pos);
            this.value = value;
        }
    }

    static final class Ref extends Node {
        final Sym name;
        /** The global binding this variable resolved to last time (see {@link Env#lookup(Ref)}). */
        Env.Cell cell;
        /** Where the binding was found last time: frames up (-1: never looked up), slot in that frame. */
        int depth = -1;
        int slot;

        Ref(Sym name, SourcePos pos) {
            super(REF, pos);
            this.name = name;
        }
    }

    static final class If extends Node {
        final Node test;
        final Node then;
        final Node otherwise;

        If(Node test, Node then, Node otherwise, SourcePos pos) {
            super(IF, pos);
            this.test = test;
            this.then = then;
            this.otherwise = otherwise;
        }
    }

    /** {@code begin} and every body; never empty (an empty body is a constant {@code ()}). */
    static final class Seq extends Node {
        final Node[] body;

        Seq(Node[] body, SourcePos pos) {
            super(SEQ, pos);
            this.body = body;
        }
    }

    static final class And extends Node {
        final Node[] parts;

        And(Node[] parts, SourcePos pos) {
            super(AND, pos);
            this.parts = parts;
        }
    }

    static final class Or extends Node {
        final Node[] parts;

        Or(Node[] parts, SourcePos pos) {
            super(OR, pos);
            this.parts = parts;
        }
    }

    /** {@code tests[i] == null} is an {@code else} clause. */
    static final class Cond extends Node {
        final Node[] tests;
        final Node[] bodies;

        Cond(Node[] tests, Node[] bodies, SourcePos pos) {
            super(COND, pos);
            this.tests = tests;
            this.bodies = bodies;
        }
    }

    static final class Define extends Node {
        final Sym name;
        final Node value;

        Define(Sym name, Node value, SourcePos pos) {
            super(DEFINE, pos);
            this.name = name;
            this.value = value;
        }
    }

    static final class SetBang extends Node {
        final Sym name;
        final Node value;

        SetBang(Sym name, Node value, SourcePos pos) {
            super(SET, pos);
            this.name = name;
            this.value = value;
        }
    }

    /** {@code frameNames} = fixed parameters, then the rest parameter when {@code variadic}. */
    static final class LambdaNode extends Node {
        final String name;
        final Sym[] frameNames;
        final boolean variadic;
        final Node body;

        LambdaNode(String name, Sym[] frameNames, boolean variadic, Node body, SourcePos pos) {
            super(LAMBDA, pos);
            this.name = name;
            this.frameNames = frameNames;
            this.variadic = variadic;
            this.body = body;
        }
    }

    static final class DefMacro extends Node {
        final Sym name;
        final LambdaNode expander;

        DefMacro(Sym name, LambdaNode expander, SourcePos pos) {
            super(DEFMACRO, pos);
            this.name = name;
            this.expander = expander;
        }
    }

    static final class Let extends Node {
        final Sym[] names;
        final Node[] inits;
        final Node body;

        Let(Sym[] names, Node[] inits, Node body, SourcePos pos) {
            super(LET, pos);
            this.names = names;
            this.inits = inits;
            this.body = body;
        }
    }

    static final class LetStar extends Node {
        final Sym[] names;
        final Node[] inits;
        final Node body;

        LetStar(Sym[] names, Node[] inits, Node body, SourcePos pos) {
            super(LETSTAR, pos);
            this.names = names;
            this.inits = inits;
            this.body = body;
        }
    }

    static final class Letrec extends Node {
        final Sym[] names;
        final Node[] inits;
        final Node body;

        Letrec(Sym[] names, Node[] inits, Node body, SourcePos pos) {
            super(LETREC, pos);
            this.names = names;
            this.inits = inits;
            this.body = body;
        }
    }

    static final class NamedLet extends Node {
        final Sym name;
        final LambdaNode loop;
        final Node[] inits;

        NamedLet(Sym name, LambdaNode loop, Node[] inits, SourcePos pos) {
            super(NAMEDLET, pos);
            this.name = name;
            this.loop = loop;
            this.inits = inits;
        }
    }

    /** {@code steps[i] == null}: the variable keeps its value. */
    static final class Do extends Node {
        final Sym[] vars;
        final Node[] inits;
        final Node[] steps;
        final Node test;
        final Node result;
        final Node body;

        Do(Sym[] vars, Node[] inits, Node[] steps, Node test, Node result, Node body, SourcePos pos) {
            super(DO, pos);
            this.vars = vars;
            this.inits = inits;
            this.steps = steps;
            this.test = test;
            this.result = result;
            this.body = body;
        }
    }

    static final class Guard extends Node {
        final Sym var;
        final Node[] tests;
        final Node[] bodies;
        final Node body;

        Guard(Sym var, Node[] tests, Node[] bodies, Node body, SourcePos pos) {
            super(GUARD, pos);
            this.var = var;
            this.tests = tests;
            this.bodies = bodies;
            this.body = body;
        }
    }

    static final class Quasi extends Node {
        final Template template;

        Quasi(Template template, SourcePos pos) {
            super(QUASI, pos);
            this.template = template;
        }
    }

    /**
     * A call. {@code form} is kept for macro calls, whose arguments are passed unevaluated; the
     * analysed expansion is cached per macro (expansions are analysed once, as in Scheme).
     */
    static final class App extends Node {
        final Node head;
        final Node[] args;
        final Syntax.ListForm form;
        volatile Macro cachedMacro;
        volatile Node cachedExpansion;

        App(Node head, Node[] args, Syntax.ListForm form, SourcePos pos) {
            super(APP, pos);
            this.head = head;
            this.args = args;
            this.form = form;
        }
    }

    /** A malformed special form: the error is raised when (and if) it is evaluated. */
    static final class Fail extends Node {
        final String message;

        Fail(String message, SourcePos pos) {
            super(FAIL, pos);
            this.message = message;
        }
    }

    /** A quasiquote template. */
    sealed interface Template permits Fixed, Unquote, ListTemplate {
    }

    record Fixed(Value value) implements Template {
    }

    record Unquote(Node expr) implements Template {
    }

    /** {@code splice[i]}: element i is an {@code ,@} whose list is spliced in; {@code tail} may be null. */
    record ListTemplate(Template[] items, boolean[] splice, Template tail) implements Template {
    }
}
