package dev.pelagos.lisp.runtime;

import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.eval.Env;
import dev.pelagos.lisp.eval.Evaluator;
import dev.pelagos.lisp.value.Bool;
import dev.pelagos.lisp.value.ContainerValue;
import dev.pelagos.lisp.value.FutureValue;
import dev.pelagos.lisp.value.FutureValue.ContainerNode;
import dev.pelagos.lisp.value.FutureValue.JoinNode;
import dev.pelagos.lisp.value.FutureValue.TransformNode;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Native;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.PendingContainer;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Procedure;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.ServiceSpec;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The 15 runtime builtins of REFERENCE §2.8, defined only when compose installs
 * {@link ContainerBindings}. Argument checking, futures and the executors live here; the
 * bindings do the container work.
 */
public final class RuntimeBuiltins {
    private static final Duration DEFAULT_PORT_TIMEOUT = Duration.ofSeconds(60);

    private final Containers containers;
    private final FutureExecutor executor;
    private final Evaluator ev;

    private RuntimeBuiltins(Evaluator ev, ContainerBindings bindings) {
        this.ev = ev;
        this.containers = new Containers(bindings);
        this.executor = new FutureExecutor(ev, containers);
    }

    public static RuntimeBuiltins install(Env global, Evaluator ev, ContainerBindings bindings) {
        RuntimeBuiltins rt = new RuntimeBuiltins(ev, bindings);
        rt.define(global);
        return rt;
    }

    /** Stops what the program left running (the interpreter's close). */
    public void stopAll() throws LispException {
        containers.stopAll();
    }

    private static void def(Env g, String name, int min, int max, Native.Body body) {
        g.define(Sym.of(name), new Native(name, min, max, body));
    }

    private void define(Env g) {
        def(g, "container-start", 1, 3, a -> containers.start("container-start", spec("container-start", a[0]),
                startEnv("container-start", a)));
        def(g, "container-start-bg", 1, 3, a -> {
            ServiceSpec spec = spec("container-start-bg", a[0]);
            Map<String, String> env = startEnv("container-start-bg", a);
            CompletableFuture<ContainerValue> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    f.complete(containers.start("container-start-bg", spec, env));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }, "pelagos-lisp-start-" + spec.name());
            t.setDaemon(true);
            t.start();
            return new PendingContainer(f, new AtomicBoolean());
        });
        def(g, "container-join", 1, 1, a -> {
            if (!(a[0] instanceof PendingContainer p)) {
                throw typeError("container-join", "pending-container", a[0]);
            }
            if (!p.joined().compareAndSet(false, true)) {
                throw new LispRuntimeException("container-join: already joined");
            }
            try {
                return p.result().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LispRuntimeException.fatal("container-join: interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof LispException le) {
                    throw le;
                }
                throw new LispRuntimeException("container-join: " + Containers.message(e.getCause()), e.getCause());
            }
        });
        def(g, "start", 1, -1, this::start);
        def(g, "then", 2, 4, a -> {
            FutureValue up = future("then", a[0]);
            if (!(a[1] instanceof Procedure p)) {
                throw typeError("then", "lambda", a[1]);
            }
            String name = up.name() + "-then";
            if (a.length > 2) {
                if (!(a[2] instanceof Sym k && k.name().equals(":name")) || a.length != 4) {
                    throw new LispRuntimeException("then: unexpected argument: " + Printer.write(a[2]));
                }
                name = Printer.display(a[3]);
            }
            return new TransformNode(name, up, p);
        });
        def(g, "then-all", 2, 2, a -> {
            List<Value> items = Values.toList(a[0]);
            if (items == null) {
                throw typeError("then-all", "futures in list", a[0]);
            }
            List<FutureValue> sources = new ArrayList<>();
            for (Value v : items) {
                if (!(v instanceof FutureValue f)) {
                    throw typeError("then-all", "futures in list", v);
                }
                sources.add(f);
            }
            if (!(a[1] instanceof Procedure p)) {
                throw typeError("then-all", "lambda", a[1]);
            }
            return new JoinNode("join(" + String.join(",", sources.stream().map(FutureValue::name).toList()) + ")",
                    sources, p);
        });
        def(g, "run", 1, -1, this::run);
        def(g, "resolve", 1, 1, a -> executor.resolve(future("resolve", a[0]), new IdentityHashMap<>()));
        def(g, "await", 1, 5, this::await);
        def(g, "container-stop", 1, 1, a -> {
            containers.stopWithDeps("container-stop", container("container-stop", a[0]), true);
            return Nil.NIL;
        });
        def(g, "container-wait", 1, 1, a -> {
            ContainerValue c = container("container-wait", a[0]);
            int code = Containers.call("container-wait", () -> containers.bindings().waitFor(c.handle()));
            containers.forget(c);
            containers.stopWithDeps("container-wait", c, false);
            return Int.of(code);
        });
        def(g, "container-run", 1, 1, a -> {
            ContainerValue c = containers.start("container-run", spec("container-run", a[0]), Map.of());
            int code = Containers.call("container-run", () -> containers.bindings().waitFor(c.handle()));
            containers.forget(c);
            return Int.of(code);
        });
        def(g, "container-ip", 1, 1, a -> {
            ContainerValue c = container("container-ip", a[0]);
            String ip = Containers.call("container-ip", () -> containers.bindings().ip(c.handle()));
            return ip == null ? Nil.NIL : new Str(ip);
        });
        def(g, "container-status", 1, 1, a -> {
            ContainerValue c = container("container-status", a[0]);
            boolean up = Containers.call("container-status", () -> containers.bindings().running(c.handle()));
            return new Str(up ? "running" : "exited");
        });
        def(g, "await-port", 2, 3, a -> {
            String host = dev.pelagos.lisp.builtins.Registry.string("await-port", a[0]);
            int port = port("await-port", a[1]);
            Duration timeout = a.length > 2 ? seconds("await-port", a[2]) : DEFAULT_PORT_TIMEOUT;
            ev.checkStop();
            return Bool.of(Containers.call("await-port", () -> containers.bindings().awaitPort(host, port, timeout)));
        });
    }

    private Value start(Value[] a) throws LispException {
        ServiceSpec spec = spec("start", a[0]);
        List<FutureValue> needs = List.of();
        Procedure envProc = null;
        for (int i = 1; i < a.length; i++) {
            String kw = keyword(a[i]);
            if (kw != null && i + 1 < a.length && kw.equals(":needs")) {
                List<Value> items = Values.toList(a[++i]);
                if (items == null) {
                    throw new LispRuntimeException("start: :needs requires futures, got " + a[i].typeName());
                }
                List<FutureValue> fs = new ArrayList<>();
                for (Value v : items) {
                    if (!(v instanceof FutureValue f)) {
                        throw new LispRuntimeException("start: :needs requires futures, got " + v.typeName());
                    }
                    fs.add(f);
                }
                needs = fs;
            } else if (kw != null && i + 1 < a.length && kw.equals(":env")) {
                if (!(a[++i] instanceof Procedure p)) {
                    throw new LispRuntimeException("start: :env requires a procedure, got " + a[i].typeName());
                }
                envProc = p;
            } else {
                throw new LispRuntimeException("start: unexpected argument: " + Printer.write(a[i]));
            }
        }
        return new ContainerNode(spec.name(), spec, needs, envProc);
    }

    private Value run(Value[] a) throws LispException {
        List<Value> items = Values.toList(a[0]);
        if (items == null) {
            throw new LispRuntimeException("run: argument must be a list of futures");
        }
        List<FutureValue> roots = new ArrayList<>();
        for (Value v : items) {
            if (!(v instanceof FutureValue f)) {
                throw new LispRuntimeException("run: argument must be a list of futures");
            }
            roots.add(f);
        }
        boolean parallel = false;
        int max = 0;
        for (int i = 1; i < a.length; i++) {
            String kw = keyword(a[i]);
            if (":parallel".equals(kw)) {
                parallel = true;
            } else if (":max-parallel".equals(kw)) {
                if (i + 1 >= a.length || !(a[i + 1] instanceof Int n) || n.value() <= 0 || n.value() > 1024) {
                    throw new LispRuntimeException("run: :max-parallel requires a positive integer");
                }
                max = (int) n.value();
                parallel = true;
                i++;
            } else {
                throw new LispRuntimeException("run: unexpected argument: " + Printer.write(a[i]));
            }
        }
        if (roots.isEmpty()) {
            return Nil.NIL;
        }
        return executor.run(roots, parallel, max > 0 ? max : Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    private Value await(Value[] a) throws LispException {
        FutureValue f = future("await", a[0]);
        Integer port = null;
        Duration timeout = DEFAULT_PORT_TIMEOUT;
        for (int i = 1; i < a.length; i += 2) {
            String kw = keyword(a[i]);
            if (i + 1 >= a.length || kw == null) {
                throw new LispRuntimeException("await: unexpected argument: " + Printer.write(a[i]));
            }
            switch (kw) {
                case ":port" -> port = port("await", a[i + 1]);
                case ":timeout" -> timeout = seconds("await", a[i + 1]);
                default -> throw new LispRuntimeException("await: unexpected argument: " + Printer.write(a[i]));
            }
        }
        if (!(f instanceof ContainerNode c)) {
            throw new LispRuntimeException("await: Transform and Join futures must be executed via run or resolve");
        }
        ContainerValue cv = executor.startNow(c);
        if (port != null) {
            String ip = Containers.call("await", () -> containers.bindings().ip(cv.handle()));
            int p = port;
            Duration t = timeout;
            boolean open = Containers.call("await",
                    () -> containers.bindings().awaitPort(ip == null ? "127.0.0.1" : ip, p, t));
            if (!open) {
                throw new LispRuntimeException("await: '" + c.name() + "' port " + p + " did not open within "
                        + Printer.plainFloat(t.toMillis() / 1000.0) + "s");
            }
        }
        return cv;
    }

    private static Map<String, String> startEnv(String who, Value[] a) throws LispRuntimeException {
        if (a.length == 1) {
            return Map.of();
        }
        if (a.length == 3 && ":env".equals(keyword(a[1]))) {
            return FutureExecutor.alistToEnv(who, a[2]);
        }
        throw new LispRuntimeException(who + ": unexpected argument: " + Printer.write(a[1]));
    }

    private static String keyword(Value v) {
        return v instanceof Sym s && s.isKeyword() ? s.name() : null;
    }

    private static ServiceSpec spec(String who, Value v) throws LispRuntimeException {
        if (v instanceof ServiceSpec s) {
            return s;
        }
        throw typeError(who, "service-spec", v);
    }

    private static FutureValue future(String who, Value v) throws LispRuntimeException {
        if (v instanceof FutureValue f) {
            return f;
        }
        throw typeError(who, "future", v);
    }

    private static ContainerValue container(String who, Value v) throws LispRuntimeException {
        if (v instanceof ContainerValue c) {
            return c;
        }
        throw typeError(who, "container", v);
    }

    private static int port(String who, Value v) throws LispRuntimeException {
        if (v instanceof Int i && i.value() >= 1 && i.value() <= 65535) {
            return (int) i.value();
        }
        throw new LispRuntimeException(who + ": port must be an integer from 1 to 65535, got " + Printer.write(v));
    }

    private static Duration seconds(String who, Value v) throws LispRuntimeException {
        double s = v instanceof Int i ? i.value() : v instanceof Real r ? r.value() : -1;
        if (!(s >= 0) || s > 1e9) {
            throw new LispRuntimeException(who + ": timeout must be a non-negative number of seconds, got "
                    + Printer.write(v));
        }
        return Duration.ofMillis((long) (s * 1000));
    }

    private static LispRuntimeException typeError(String who, String expected, Value got) {
        return new LispRuntimeException(who + ": expected " + expected + ", got " + got.typeName());
    }
}
