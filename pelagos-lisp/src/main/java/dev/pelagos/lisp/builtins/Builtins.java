package dev.pelagos.lisp.builtins;

import dev.pelagos.lisp.LispHost;
import dev.pelagos.lisp.eval.Env;
import dev.pelagos.lisp.eval.Evaluator;

/** Installs the 70 core builtins and the 8 domain builtins (plus the define-service helper). */
public final class Builtins {
    private Builtins() {
    }

    public static void install(Env global, Evaluator ev, LispHost host, DomainState state) {
        Registry r = new Registry(global);
        NumberBuiltins.install(r);
        ListBuiltins.install(r, ev);
        TextBuiltins.install(r, host, ev);
        DomainBuiltins.install(r, host, state);
    }
}
