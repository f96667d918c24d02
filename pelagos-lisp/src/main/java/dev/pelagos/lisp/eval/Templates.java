package dev.pelagos.lisp.eval;

import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.value.Bool;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.util.ArrayList;
import java.util.List;

/** Quasiquote templates and the check that macro expansions are plain data. */
final class Templates {
    private Templates() {
    }

    static Value instantiate(Evaluator ev, Nodes.Template t, Env env) throws LispException {
        switch (t) {
            case Nodes.Fixed f -> {
                return f.value();
            }
            case Nodes.Unquote u -> {
                return ev.eval(u.expr(), env);
            }
            case Nodes.ListTemplate lt -> {
                List<Value> items = new ArrayList<>();
                for (int i = 0; i < lt.items().length; i++) {
                    Value v = instantiate(ev, lt.items()[i], env);
                    if (lt.splice()[i]) {
                        List<Value> spliced = Values.toList(v);
                        if (spliced == null) {
                            throw new LispRuntimeException("unquote-splicing: expected a list");
                        }
                        items.addAll(spliced);
                    } else {
                        items.add(v);
                    }
                }
                Value tail = lt.tail() == null ? Nil.NIL : instantiate(ev, lt.tail(), env);
                return Values.list(items, tail);
            }
        }
    }

    /** Expansions may only hold data (REFERENCE §2.3): numbers, strings, symbols, booleans, lists. */
    static void checkSerialisable(Value v, Node where) throws LispRuntimeException {
        while (true) {
            if (v instanceof Pair p) {
                checkSerialisable(p.car(), where);
                v = p.cdr();
                continue;
            }
            switch (v) {
                case Nil x -> {
                    return;
                }
                case Bool x -> {
                    return;
                }
                case Int x -> {
                    return;
                }
                case Real x -> {
                    return;
                }
                case Str x -> {
                    return;
                }
                case Sym x -> {
                    return;
                }
                default -> throw Evaluator.located(new LispRuntimeException(
                        "macro expansion error: macro expansion produced non-serialisable value: " + v.typeName()),
                        where);
            }
        }
    }
}
