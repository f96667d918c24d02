package dev.pelagos.lisp.builtins;

import dev.pelagos.lisp.ComposeRequest;
import dev.pelagos.lisp.value.Procedure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the domain builtins record for compose: the last {@code compose-up} and the {@code on-ready} hooks. */
public final class DomainState {
    private ComposeRequest composeUp;
    private final Map<String, List<Procedure>> onReady = new LinkedHashMap<>();

    public synchronized ComposeRequest composeUp() {
        return composeUp;
    }

    synchronized void setComposeUp(ComposeRequest r) {
        composeUp = r;
    }

    synchronized void addHook(String service, Procedure p) {
        onReady.computeIfAbsent(service, k -> new ArrayList<>()).add(p);
    }

    /** Hooks per service name, each list in registration order. */
    public synchronized Map<String, List<Procedure>> onReadyHooks() {
        Map<String, List<Procedure>> copy = new LinkedHashMap<>();
        onReady.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }
}
