package dev.pelagos.lisp.eval;

import dev.pelagos.lisp.Limits;
import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.read.Syntax;
import dev.pelagos.lisp.value.Bool;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Lambda;
import dev.pelagos.lisp.value.Macro;
import dev.pelagos.lisp.value.Native;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Procedure;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.util.List;

/**
 * The evaluator. Tail calls are a loop, not recursion: inside {@link #step} every tail position of
 * a special form (REFERENCE §2.3) reassigns the current node and frame and goes round again, and a
 * closure call in tail position returns to the small driver {@link #loop}, which continues with
 * the callee's body. Only non-tail sub-evaluations recurse; their depth is counted so that runaway
 * recursion ends in a clean error. A {@link #requestStop} from another thread (time-out, Ctrl-C)
 * is noticed at the next call or loop iteration.
 */
public final class Evaluator {
    private final Analyzer analyzer = new Analyzer();
    private volatile String stopReason;
    private int depth;
    /** Where {@link #step} asks {@link #loop} to continue (a tail call); valid right after it returns null. */
    private Node tailNode;
    private Env tailEnv;

    /** Analyses one read form. */
    public Node analyze(Syntax form) {
        return analyzer.analyze(form);
    }

    /** Asks the running evaluation to stop with a fatal error carrying {@code reason}. */
    public void requestStop(String reason) {
        stopReason = reason;
    }

    /** Clears a previous stop request (the REPL continues after Ctrl-C). */
    public void clearStop() {
        stopReason = null;
    }

    /** Raises the pending stop request, if any; long-running builtins call this while they wait. */
    public void checkStop() throws LispRuntimeException {
        String r = stopReason;
        if (r != null) {
            throw LispRuntimeException.fatal(r, null);
        }
    }

    /** Calls a procedure with evaluated arguments (from builtins such as {@code map}). */
    public Value apply(Procedure p, Value[] args) throws LispException {
        if (p instanceof Native n) {
            return callNative(n, args);
        }
        Lambda l = (Lambda) p;
        return eval(l.body(), bind(l, args));
    }

    public Value eval(Node node, Env env) throws LispException {
        if (++depth > Limits.MAX_DEPTH) {
            depth--;
            throw LispRuntimeException.fatal("recursion too deep (more than " + Limits.MAX_DEPTH
                    + " nested calls)", null);
        }
        try {
            return loop(node, env);
        } catch (LispRuntimeException e) {
            e.locate(node.pos);
            throw e;
        } finally {
            depth--;
        }
    }

    /** Resets the depth counter after an evaluation was abandoned by a stack overflow. */
    public void resetDepth() {
        depth = 0;
    }

    /**
     * Drives {@link #step} round procedure calls in tail position. The driver is tiny on purpose:
     * a long tail loop then spends its time in {@code step}, an ordinary method the JIT compiles
     * as usual, instead of needing on-stack replacement of one huge never-returning frame.
     */
    private Value loop(Node n, Env env) throws LispException {
        while (true) {
            Value v = step(n, env);
            if (v != null) {
                return v;
            }
            n = tailNode;
            env = tailEnv;
        }
    }

    /**
     * Evaluates {@code n} up to its value, or up to a closure call in tail position: then it stores
     * the callee's body and frame in {@link #tailNode}/{@link #tailEnv} and returns null.
     */
    private Value step(Node n, Env env) throws LispException {
        while (true) {
            switch (n.op) {
                case Node.CONST -> {
                    return ((Nodes.Const) n).value;
                }
                case Node.REF -> {
                    return lookup((Nodes.Ref) n, env);
                }
                case Node.IF -> {
                    Nodes.If i = (Nodes.If) n;
                    n = Values.truthy(arg(i.test, env)) ? i.then : i.otherwise;
                }
                case Node.SEQ -> {
                    Node[] body = ((Nodes.Seq) n).body;
                    int last = body.length - 1;
                    for (int i = 0; i < last; i++) {
                        eval(body[i], env);
                    }
                    n = body[last];
                }
                case Node.AND -> {
                    Node[] parts = ((Nodes.And) n).parts;
                    int last = parts.length - 1;
                    boolean failed = false;
                    for (int i = 0; i < last; i++) {
                        if (!Values.truthy(eval(parts[i], env))) {
                            failed = true;
                            break;
                        }
                    }
                    if (failed) {
                        return Bool.FALSE;
                    }
                    n = parts[last];
                }
                case Node.OR -> {
                    Node[] parts = ((Nodes.Or) n).parts;
                    int last = parts.length - 1;
                    for (int i = 0; i < last; i++) {
                        Value v = eval(parts[i], env);
                        if (Values.truthy(v)) {
                            return v;
                        }
                    }
                    n = parts[last];
                }
                case Node.COND -> {
                    Nodes.Cond c = (Nodes.Cond) n;
                    Node chosen = null;
                    for (int i = 0; i < c.tests.length; i++) {
                        if (c.tests[i] == null || Values.truthy(eval(c.tests[i], env))) {
                            chosen = c.bodies[i];
                            break;
                        }
                    }
                    if (chosen == null) {
                        return Nil.NIL;
                    }
                    n = chosen;
                }
                case Node.DEFINE, Node.SET, Node.LAMBDA, Node.DEFMACRO -> {
                    return definition(n, env);
                }
                case Node.LET -> {
                    env = letFrame((Nodes.Let) n, env);
                    n = ((Nodes.Let) n).body;
                }
                case Node.LETSTAR -> {
                    env = letStarFrame((Nodes.LetStar) n, env);
                    n = ((Nodes.LetStar) n).body;
                }
                case Node.LETREC -> {
                    env = letrecFrame((Nodes.Letrec) n, env);
                    n = ((Nodes.Letrec) n).body;
                }
                case Node.NAMEDLET -> {
                    env = namedLetFrame((Nodes.NamedLet) n, env);
                    n = ((Nodes.NamedLet) n).loop.body;
                }
                case Node.DO -> {
                    env = doLoop((Nodes.Do) n, env);
                    n = ((Nodes.Do) n).result;
                }
                case Node.GUARD -> {
                    Nodes.Guard g = (Nodes.Guard) n;
                    GuardOutcome out = guard(g, env);
                    if (out.handler == null) {
                        return out.value;
                    }
                    env = out.env;
                    n = out.handler;
                }
                case Node.QUASI -> {
                    return Templates.instantiate(this, ((Nodes.Quasi) n).template, env);
                }
                case Node.APP -> {
                    Nodes.App app = (Nodes.App) n;
                    Node h = app.head;
                    Value f = h.op == Node.REF ? lookup((Nodes.Ref) h, env) : eval(h, env);
                    if (f instanceof Lambda l) {
                        Node[] argNodes = app.args;
                        Value[] args = new Value[argNodes.length];
                        for (int i = 0; i < args.length; i++) {
                            Node a = argNodes[i];
                            args[i] = arg(a, env);
                        }
                        if (stopReason != null) {
                            checkStop();
                        }
                        try {
                            tailEnv = bind(l, args);
                        } catch (LispRuntimeException e) {
                            throw located(e, n);
                        }
                        tailNode = l.body();
                        return null;
                    } else if (f instanceof Native nat) {
                        Node[] argNodes = app.args;
                        if (nat.inline() != 0 && argNodes.length == 2) {
                            Node a0 = argNodes[0];
                            Node a1 = argNodes[1];
                            Value x = arg(a0, env);
                            Value y = arg(a1, env);
                            if (x instanceof Int xi && y instanceof Int yi) {
                                return inline(nat.inline(), xi.value(), yi.value());
                            }
                            try {
                                return callNative(nat, new Value[] {x, y});
                            } catch (LispRuntimeException e) {
                                throw located(e, n);
                            }
                        }
                        Value[] args = new Value[argNodes.length];
                        for (int i = 0; i < args.length; i++) {
                            Node a = argNodes[i];
                            args[i] = arg(a, env);
                        }
                        try {
                            return callNative(nat, args);
                        } catch (LispRuntimeException e) {
                            throw located(e, n);
                        }
                    } else if (f instanceof Macro m) {
                        n = expand(app, m);
                    } else {
                        throw located(new LispRuntimeException("not a procedure: " + f.typeName()), n);
                    }
                }
                case Node.FAIL -> throw located(new LispRuntimeException(((Nodes.Fail) n).message), n);
                default -> throw new IllegalStateException("unknown node " + n.op);
            }
        }
    }

    /** define, set!, lambda and defmacro: the forms that bind or make procedures. */
    private Value definition(Node n, Env env) throws LispException {
        switch (n.op) {
            case Node.DEFINE -> {
                Nodes.Define d = (Nodes.Define) n;
                env.define(d.name, eval(d.value, env));
                return Nil.NIL;
            }
            case Node.SET -> {
                Nodes.SetBang s = (Nodes.SetBang) n;
                Value v = eval(s.value, env);
                if (!env.set(s.name, v)) {
                    throw located(new LispRuntimeException("set!: unbound variable: " + s.name.name()), n);
                }
                return Nil.NIL;
            }
            case Node.LAMBDA -> {
                Nodes.LambdaNode l = (Nodes.LambdaNode) n;
                return new Lambda(l.name, l.frameNames, l.variadic ? l.frameNames[l.frameNames.length - 1] : null,
                        l.body, env);
            }
            default -> {
                Nodes.DefMacro d = (Nodes.DefMacro) n;
                Nodes.LambdaNode l = d.expander;
                Lambda expander = new Lambda(d.name.name(), l.frameNames,
                        l.variadic ? l.frameNames[l.frameNames.length - 1] : null, l.body, env);
                env.define(d.name, new Macro(d.name.name(), expander));
                return Nil.NIL;
            }
        }
    }

    private Env letFrame(Nodes.Let l, Env env) throws LispException {
        Value[] vals = new Value[l.inits.length];
        for (int i = 0; i < vals.length; i++) {
            vals[i] = eval(l.inits[i], env);
        }
        return new Env(env, l.names, vals);
    }

    private Env letStarFrame(Nodes.LetStar l, Env env) throws LispException {
        for (int i = 0; i < l.names.length; i++) {
            Value v = eval(l.inits[i], env);
            env = new Env(env, new Sym[] {l.names[i]}, new Value[] {v});
        }
        return l.names.length == 0 ? new Env(env, new Sym[0], new Value[0]) : env;
    }

    private Env letrecFrame(Nodes.Letrec l, Env env) throws LispException {
        Value[] vals = new Value[l.names.length];
        java.util.Arrays.fill(vals, Nil.NIL);
        Env frame = new Env(env, l.names, vals);
        for (int i = 0; i < vals.length; i++) {
            frame.setSlot(i, eval(l.inits[i], frame));
        }
        return frame;
    }

    private Env namedLetFrame(Nodes.NamedLet nl, Env env) throws LispException {
        Value[] vals = new Value[nl.inits.length];
        for (int i = 0; i < vals.length; i++) {
            vals[i] = eval(nl.inits[i], env);
        }
        Env loopFrame = new Env(env, new Sym[] {nl.name}, new Value[] {Nil.NIL});
        Lambda loop = new Lambda(nl.name.name(), nl.loop.frameNames, null, nl.loop.body, loopFrame);
        loopFrame.setSlot(0, loop);
        return new Env(loopFrame, nl.loop.frameNames, vals);
    }

    /** Runs a do loop until its test holds; returns the frame its result forms see. */
    private Env doLoop(Nodes.Do d, Env env) throws LispException {
        Value[] vals = new Value[d.vars.length];
        for (int i = 0; i < vals.length; i++) {
            vals[i] = eval(d.inits[i], env);
        }
        Env frame = new Env(env, d.vars, vals);
        while (!Values.truthy(eval(d.test, frame))) {
            checkStop();
            eval(d.body, frame);
            Value[] next = new Value[vals.length];
            for (int i = 0; i < next.length; i++) {
                next[i] = d.steps[i] == null ? lookupSlot(frame, d.vars[i]) : eval(d.steps[i], frame);
            }
            frame = new Env(env, d.vars, next);
        }
        return frame;
    }

    /** The body's value (handler null), or the handler clause to continue with in tail position. */
    private record GuardOutcome(Value value, Node handler, Env env) {
    }

    private GuardOutcome guard(Nodes.Guard g, Env env) throws LispException {
        try {
            return new GuardOutcome(eval(g.body, env), null, null);
        } catch (LispRuntimeException e) {
            if (e.isFatal()) {
                throw e;
            }
            Env handlerEnv = new Env(env, new Sym[] {g.var}, new Value[] {new Str(e.rawMessage())});
            for (int i = 0; i < g.tests.length; i++) {
                if (g.tests[i] == null || Values.truthy(eval(g.tests[i], handlerEnv))) {
                    return new GuardOutcome(null, g.bodies[i], handlerEnv);
                }
            }
            throw e;
        }
    }

    /**
     * Evaluates an argument or test. Variables, constants and two-integer arithmetic or comparison
     * on variables and constants (the bulk of loop counters and tests) are done here directly,
     * without a trip through {@link #eval}; everything else goes to {@link #eval}.
     */
    private Value arg(Node a, Env env) throws LispException {
        switch (a.op) {
            case Node.REF -> {
                return lookup((Nodes.Ref) a, env);
            }
            case Node.CONST -> {
                return ((Nodes.Const) a).value;
            }
            case Node.APP -> {
                Nodes.App app = (Nodes.App) a;
                Node[] as = app.args;
                if (as.length == 2 && app.head.op == Node.REF && simple(as[0]) && simple(as[1])) {
                    Value f = env.lookup((Nodes.Ref) app.head);
                    if (f instanceof Native nat && nat.inline() != 0) {
                        Value x = as[0].op == Node.REF ? env.lookup((Nodes.Ref) as[0]) : ((Nodes.Const) as[0]).value;
                        Value y = as[1].op == Node.REF ? env.lookup((Nodes.Ref) as[1]) : ((Nodes.Const) as[1]).value;
                        if (x instanceof Int xi && y instanceof Int yi) {
                            return inline(nat.inline(), xi.value(), yi.value());
                        }
                    }
                }
                return eval(a, env);
            }
            default -> {
                return eval(a, env);
            }
        }
    }

    private static boolean simple(Node n) {
        return n.op == Node.REF || n.op == Node.CONST;
    }

    /** A core arithmetic or comparison builtin applied to two integers (see {@link Native#inline()}). */
    private static Value inline(int op, long x, long y) {
        return switch (op) {
            case Native.ADD -> Int.of(x + y);
            case Native.SUB -> Int.of(x - y);
            case Native.MUL -> Int.of(x * y);
            case Native.NUM_EQ -> Bool.of(x == y);
            case Native.LT -> Bool.of(x < y);
            case Native.GT -> Bool.of(x > y);
            case Native.LE -> Bool.of(x <= y);
            default -> Bool.of(x >= y);
        };
    }

    private static Value lookupSlot(Env frame, Sym s) {
        return frame.lookup(s);
    }

    private static Value lookup(Nodes.Ref r, Env env) throws LispRuntimeException {
        Value v = env.lookup(r);
        if (v == null) {
            throw located(new LispRuntimeException("unbound variable: " + r.name.name()), r);
        }
        return v;
    }

    static LispRuntimeException located(LispRuntimeException e, Node n) {
        e.locate(n.pos);
        return e;
    }

    private Value callNative(Native nat, Value[] args) throws LispException {
        int argc = args.length;
        if (argc < nat.min() || (nat.max() >= 0 && argc > nat.max())) {
            throw new LispRuntimeException(arityMessage(nat, argc));
        }
        return nat.body().call(args);
    }

    static String arityMessage(Native nat, int argc) {
        String name = nat.name();
        if (nat.max() == nat.min()) {
            return name + ": expected " + plural(nat.min()) + ", got " + argc;
        }
        if (nat.max() < 0) {
            return name + ": expected at least " + plural(nat.min()) + ", got " + argc;
        }
        return name + ": expected " + nat.min() + " to " + nat.max() + " arguments, got " + argc;
    }

    private static String plural(int n) {
        return n == 1 ? "1 argument" : n + " arguments";
    }

    private static Env bind(Lambda l, Value[] args) throws LispRuntimeException {
        Sym[] names = l.params();
        if (l.rest() == null) {
            if (args.length != names.length) {
                throw new LispRuntimeException("arity mismatch: expected " + names.length + " arguments, got "
                        + args.length);
            }
            return new Env(l.env(), names, args);
        }
        int fixed = names.length - 1;
        if (args.length < fixed) {
            throw new LispRuntimeException("arity mismatch: expected at least " + fixed + " arguments, got "
                    + args.length);
        }
        Value[] vals = new Value[names.length];
        System.arraycopy(args, 0, vals, 0, fixed);
        Value rest = Nil.NIL;
        for (int i = args.length - 1; i >= fixed; i--) {
            rest = new Pair(args[i], rest);
        }
        vals[fixed] = rest;
        return new Env(l.env(), names, vals);
    }

    private Node expand(Nodes.App app, Macro m) throws LispException {
        if (app.cachedMacro == m) {
            return app.cachedExpansion;
        }
        List<Syntax> argForms = app.form.items();
        Value[] args = new Value[argForms.size() - 1];
        for (int i = 1; i < argForms.size(); i++) {
            args[i - 1] = argForms.get(i).toValue();
        }
        Value expansion;
        try {
            expansion = apply(m.expander(), args);
        } catch (LispRuntimeException e) {
            throw located(e, app);
        }
        Templates.checkSerialisable(expansion, app);
        Node node = analyzer.analyze(Syntax.fromValue(expansion, app.pos));
        app.cachedExpansion = node;
        app.cachedMacro = m;
        return node;
    }
}
