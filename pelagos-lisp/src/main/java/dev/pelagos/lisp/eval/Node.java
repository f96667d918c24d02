package dev.pelagos.lisp.eval;

import dev.pelagos.lisp.SourcePos;

/**
 * An analysed form. The evaluator switches on {@link #op} (an int switch is the cheapest
 * dispatch in the hot loop) and casts to the concrete node.
 */
public abstract sealed class Node permits Nodes.Const, Nodes.Ref, Nodes.If, Nodes.Seq, Nodes.And, Nodes.Or,
        Nodes.Cond, Nodes.Define, Nodes.SetBang, Nodes.LambdaNode, Nodes.DefMacro, Nodes.Let, Nodes.LetStar,
        Nodes.Letrec, Nodes.NamedLet, Nodes.Do, Nodes.Guard, Nodes.Quasi, Nodes.App, Nodes.Fail {
    static final int CONST = 0;
    static final int REF = 1;
    static final int IF = 2;
    static final int SEQ = 3;
    static final int AND = 4;
    static final int OR = 5;
    static final int COND = 6;
    static final int DEFINE = 7;
    static final int SET = 8;
    static final int LAMBDA = 9;
    static final int DEFMACRO = 10;
    static final int LET = 11;
    static final int LETSTAR = 12;
    static final int LETREC = 13;
    static final int NAMEDLET = 14;
    static final int DO = 15;
    static final int GUARD = 16;
    static final int QUASI = 17;
    static final int APP = 18;
    static final int FAIL = 19;

    final int op;
    final SourcePos pos;

    Node(int op, SourcePos pos) {
        this.op = op;
        this.pos = pos;
    }

    public SourcePos pos() {
        return pos;
    }
}
