package dev.pelagos.lisp.builtins;

import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * The expansion of {@code (define-service var "name" :kw v... ...)} (REFERENCE §2.9): options are
 * groups that start at a keyword; a group whose first value is a pair gives one option per value
 * (a list is spliced, a dotted pair gives car and cdr), any other group is one option. Values are
 * evaluated at the call site. {@code :ready} takes its check as data, unevaluated.
 */
final class DefineServiceExpander {
    private static final Sym DEFINE = Sym.of("define");
    private static final Sym SERVICE = Sym.of("service");
    private static final Sym LIST = Sym.of("list");
    private static final Sym QUOTE = Sym.of("quote");

    private DefineServiceExpander() {
    }

    static Value expand(Value var, Value name, Value opts) throws LispRuntimeException {
        if (!(var instanceof Sym)) {
            throw Registry.typeError("define-service", "a variable name", var);
        }
        List<Value> items = Values.toList(opts);
        if (items == null) {
            throw new LispRuntimeException("define-service: options must be a list");
        }
        List<Value> call = new ArrayList<>();
        call.add(SERVICE);
        call.add(name);
        int i = 0;
        while (i < items.size()) {
            if (!(items.get(i) instanceof Sym kw && kw.isKeyword())) {
                throw new LispRuntimeException("define-service: expected a keyword such as :image, got "
                        + Printer.write(items.get(i)));
            }
            Value key = Values.list(QUOTE, Sym.of(kw.name().substring(1)));
            List<Value> group = new ArrayList<>();
            i++;
            while (i < items.size() && !(items.get(i) instanceof Sym s && s.isKeyword())) {
                group.add(items.get(i++));
            }
            if (kw.name().equals(":ready")) {
                List<Value> opt = new ArrayList<>(List.of(LIST, key));
                for (Value g : group) {
                    opt.add(Values.list(QUOTE, g));
                }
                call.add(Values.list(opt));
            } else if (!group.isEmpty() && group.getFirst() instanceof Pair) {
                for (Value g : group) {
                    List<Value> opt = new ArrayList<>(List.of(LIST, key));
                    List<Value> spliced = Values.toList(g);
                    if (spliced != null) {
                        opt.addAll(spliced);
                    } else if (g instanceof Pair p) {
                        opt.add(p.car());
                        opt.add(p.cdr());
                    } else {
                        opt.add(g);
                    }
                    call.add(Values.list(opt));
                }
            } else {
                List<Value> opt = new ArrayList<>(List.of(LIST, key));
                opt.addAll(group);
                call.add(Values.list(opt));
            }
        }
        return Values.list(DEFINE, var, Values.list(call));
    }
}
