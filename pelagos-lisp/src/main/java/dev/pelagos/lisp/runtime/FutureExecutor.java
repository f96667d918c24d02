package dev.pelagos.lisp.runtime;

import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.eval.Evaluator;
import dev.pelagos.lisp.value.ContainerValue;
import dev.pelagos.lisp.value.FutureValue;
import dev.pelagos.lisp.value.FutureValue.ContainerNode;
import dev.pelagos.lisp.value.FutureValue.JoinNode;
import dev.pelagos.lisp.value.FutureValue.TransformNode;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Executes graphs of futures. {@link #run} is the static executor: the transitive dependencies in
 * Kahn tiers, container spawns of one tier optionally in parallel, lambdas always on the calling
 * (evaluation) thread. {@link #resolve} is the dynamic, depth-first one. Both flatten a transform
 * that returns a future.
 */
final class FutureExecutor {
    private final Evaluator ev;
    private final Containers containers;

    FutureExecutor(Evaluator ev, Containers containers) {
        this.ev = ev;
        this.containers = containers;
    }

    /** Kahn tiers of {@code roots} and everything they need; a cycle is an error. */
    static List<List<FutureValue>> tiers(List<FutureValue> roots) throws LispRuntimeException {
        Map<FutureValue, Integer> order = new IdentityHashMap<>();
        List<FutureValue> all = new ArrayList<>();
        List<FutureValue> stack = new ArrayList<>(roots.reversed());
        while (!stack.isEmpty()) {
            FutureValue f = stack.removeLast();
            if (order.containsKey(f)) {
                continue;
            }
            order.put(f, all.size());
            all.add(f);
            List<FutureValue> up = f.upstream();
            for (int i = up.size() - 1; i >= 0; i--) {
                stack.add(up.get(i));
            }
        }
        Map<FutureValue, Integer> waiting = new IdentityHashMap<>();
        Map<FutureValue, List<FutureValue>> dependents = new IdentityHashMap<>();
        for (FutureValue f : all) {
            waiting.put(f, (int) f.upstream().stream().distinct().count());
            for (FutureValue u : f.upstream().stream().distinct().toList()) {
                dependents.computeIfAbsent(u, k -> new ArrayList<>()).add(f);
            }
        }
        List<List<FutureValue>> tiers = new ArrayList<>();
        List<FutureValue> ready = new ArrayList<>(all.stream().filter(f -> waiting.get(f) == 0).toList());
        int done = 0;
        while (!ready.isEmpty()) {
            ready.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
            tiers.add(ready);
            done += ready.size();
            List<FutureValue> next = new ArrayList<>();
            for (FutureValue f : ready) {
                for (FutureValue d : dependents.getOrDefault(f, List.of())) {
                    if (waiting.merge(d, -1, Integer::sum) == 0) {
                        next.add(d);
                    }
                }
            }
            ready = next;
        }
        if (done != all.size()) {
            throw new LispRuntimeException("run: dependency cycle detected");
        }
        return tiers;
    }

    Value run(List<FutureValue> roots, boolean parallel, int maxParallel) throws LispException {
        List<List<FutureValue>> tiers = tiers(roots);
        Map<FutureValue, Value> values = new IdentityHashMap<>();
        Map<FutureValue, Integer> startIndex = new IdentityHashMap<>();
        ExecutorService pool = parallel ? Executors.newFixedThreadPool(Math.max(1, maxParallel),
                r -> {
                    Thread t = new Thread(r, "pelagos-lisp-run");
                    t.setDaemon(true);
                    return t;
                }) : null;
        try {
            for (List<FutureValue> tier : tiers) {
                Map<ContainerNode, Future<ContainerValue>> spawning = new LinkedHashMap<>();
                for (FutureValue f : tier) {
                    if (f instanceof ContainerNode c) {
                        Map<String, String> env = envFor(c, values);
                        if (pool != null) {
                            spawning.put(c, pool.submit(() -> containers.start("run", c.service(), env)));
                        } else {
                            startIndex.put(c, startIndex.size());
                            values.put(c, containers.start("run", c.service(), env));
                        }
                    }
                }
                for (Map.Entry<ContainerNode, Future<ContainerValue>> e : spawning.entrySet()) {
                    startIndex.put(e.getKey(), startIndex.size());
                    values.put(e.getKey(), join(e.getValue()));
                }
                for (FutureValue f : tier) {
                    if (!(f instanceof ContainerNode)) {
                        values.put(f, flatten(apply(f, values), new IdentityHashMap<>()));
                    }
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        List<Value> out = new ArrayList<>();
        for (FutureValue root : roots) {
            Value v = values.get(root);
            if (root instanceof ContainerNode && v instanceof ContainerValue cv) {
                v = cv.withDeps(containerDeps(root, values, startIndex));
            }
            out.add(new Pair(new Str(root.name()), v));
        }
        return Values.list(out);
    }

    Value resolve(FutureValue f, Map<FutureValue, Value> memo) throws LispException {
        Value known = memo.get(f);
        if (known != null) {
            return known;
        }
        Value v;
        if (f instanceof ContainerNode c) {
            for (FutureValue need : c.needs()) {
                resolve(need, memo);
            }
            v = containers.start("resolve", c.service(), envFor(c, memo));
        } else {
            for (FutureValue u : f.upstream()) {
                resolve(u, memo);
            }
            v = flatten(apply(f, memo), memo);
        }
        memo.put(f, v);
        return v;
    }

    /** Starts a container future now (its needs resolved first). */
    ContainerValue startNow(ContainerNode c) throws LispException {
        Map<FutureValue, Value> memo = new IdentityHashMap<>();
        for (FutureValue need : c.needs()) {
            resolve(need, memo);
        }
        return containers.start("await", c.service(), envFor(c, memo));
    }

    private Value flatten(Value v, Map<FutureValue, Value> memo) throws LispException {
        while (v instanceof FutureValue inner) {
            v = resolve(inner, memo);
        }
        return v;
    }

    private Value apply(FutureValue f, Map<FutureValue, Value> values) throws LispException {
        return switch (f) {
            case TransformNode t -> ev.apply(t.proc(), new Value[] {values.get(t.source())});
            case JoinNode j -> {
                Value[] args = new Value[j.sources().size()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = values.get(j.sources().get(i));
                }
                yield ev.apply(j.proc(), args);
            }
            case ContainerNode c -> throw new IllegalStateException("containers are started, not applied");
        };
    }

    private Map<String, String> envFor(ContainerNode c, Map<FutureValue, Value> values) throws LispException {
        if (c.envProc() == null) {
            return Map.of();
        }
        Value[] args = new Value[c.needs().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = values.get(c.needs().get(i));
        }
        return alistToEnv("start", ev.apply(c.envProc(), args));
    }

    /** {@code ((KEY . value)...)} as an ordered map; non-string values are printed. */
    static Map<String, String> alistToEnv(String who, Value alist) throws LispRuntimeException {
        List<Value> entries = Values.toList(alist);
        if (entries == null) {
            throw new LispRuntimeException(who + ": :env expects a list of (KEY . value) pairs, got "
                    + alist.typeName());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Value e : entries) {
            if (!(e instanceof Pair p)) {
                throw new LispRuntimeException(who + ": :env entry must be a (KEY . value) pair, got "
                        + Printer.write(e));
            }
            env.put(Printer.display(p.car()), Printer.display(p.cdr()));
        }
        return env;
    }

    private static List<ContainerValue> containerDeps(FutureValue root, Map<FutureValue, Value> values,
            Map<FutureValue, Integer> startIndex) {
        Map<FutureValue, Boolean> seen = new IdentityHashMap<>();
        List<FutureValue> stack = new ArrayList<>(root.upstream());
        List<ContainerNode> found = new ArrayList<>();
        while (!stack.isEmpty()) {
            FutureValue f = stack.removeLast();
            if (seen.put(f, Boolean.TRUE) != null) {
                continue;
            }
            if (f instanceof ContainerNode c && startIndex.containsKey(c)) {
                found.add(c);
            }
            stack.addAll(f.upstream());
        }
        found.sort((a, b) -> Integer.compare(startIndex.get(b), startIndex.get(a)));
        List<ContainerValue> out = new ArrayList<>();
        for (ContainerNode c : found) {
            if (values.get(c) instanceof ContainerValue cv) {
                out.add(cv);
            }
        }
        return out;
    }

    private static ContainerValue join(Future<ContainerValue> f) throws LispException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LispRuntimeException.fatal("run: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LispException le) {
                throw le;
            }
            throw new LispRuntimeException("run: " + Containers.message(e.getCause()), e.getCause());
        }
    }
}
