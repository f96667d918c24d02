package dev.pelagos.lisp;

import dev.pelagos.lisp.builtins.Builtins;
import dev.pelagos.lisp.builtins.DomainState;
import dev.pelagos.lisp.eval.Env;
import dev.pelagos.lisp.eval.Evaluator;
import dev.pelagos.lisp.read.Reader;
import dev.pelagos.lisp.read.Syntax;
import dev.pelagos.lisp.runtime.ContainerBindings;
import dev.pelagos.lisp.runtime.RuntimeBuiltins;
import dev.pelagos.lisp.value.Native;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Procedure;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Lisp interpreter: a global environment with the core, domain and stdlib definitions, and
 * optionally the container builtins of REFERENCE §2.8 when {@link ContainerBindings} are given.
 *
 * <p>Evaluation runs on a dedicated thread with a large stack, so deep (non-tail) recursion works
 * up to {@link Limits#MAX_DEPTH} and anything deeper ends in a clean "recursion too deep" error.
 * A time-out (see {@link #setTimeout}) or {@link #cancel} stops a runaway program at its next call.
 * An interpreter is used by one caller at a time. {@link #close} stops containers still running.
 */
public final class Interpreter implements AutoCloseable {
    private final Env global = new Env();
    private final Evaluator evaluator = new Evaluator();
    private final DomainState domain = new DomainState();
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    private final RuntimeBuiltins runtime;
    private static final String STDLIB = "stdlib.lisp";
    private static volatile long evalStackBytes = Limits.EVAL_STACK_BYTES;
    private static final long STOP_GRACE_NANOS = 3_000_000_000L;
    private volatile Duration timeout;

    /** A bare interpreter: core, domain and stdlib; no container builtins. */
    public Interpreter(LispHost host) {
        this(host, null);
    }

    /** With {@code bindings} non-null, the runtime builtins (container-start, run, ...) are defined too. */
    public Interpreter(LispHost host, ContainerBindings bindings) {
        Builtins.install(global, evaluator, host, domain);
        runtime = bindings == null ? null : RuntimeBuiltins.install(global, evaluator, bindings);
        try (InputStream in = Interpreter.class.getResourceAsStream("stdlib.lisp")) {
            if (in == null) {
                throw new IllegalStateException("stdlib.lisp is missing from the pelagos-lisp jar");
            }
            evalSource(new String(in.readAllBytes(), StandardCharsets.UTF_8), STDLIB);
        } catch (IOException | LispException e) {
            throw new IllegalStateException("the Lisp standard library failed to load: " + e.getMessage(), e);
        }
    }

    /** Limits every later evaluation call to {@code t} (null: no limit). */
    public void setTimeout(Duration t) {
        this.timeout = t;
    }

    /** Stops the evaluation in progress (from another thread) with a fatal error carrying {@code reason}. */
    public void cancel(String reason) {
        evaluator.requestStop(reason);
    }

    /** Reads and evaluates a file; the value of its last form, {@code ()} when empty. */
    public Value evalFile(Path file) throws IOException, LispException {
        long size = Files.size(file);
        if (size > 4L * Limits.MAX_STRING_CHARS) {
            throw new LispRuntimeException(file + ": file too large to evaluate (" + size + " bytes)");
        }
        return evalSource(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Reads and evaluates {@code text}; {@code fileName} is used in error positions. */
    public Value evalSource(String text, String fileName) throws LispException {
        sources.put(fileName, text);
        return onEvalThread(() -> {
            List<Syntax> forms = Reader.readAll(text, fileName);
            Value last = Nil.NIL;
            for (Syntax form : forms) {
                last = evaluator.eval(evaluator.analyze(form), global);
            }
            return last;
        });
    }

    /** Reads {@code text} into forms without evaluating (the REPL uses this to see if input is complete). */
    public static List<Syntax> read(String text, String fileName) throws LispSyntaxException {
        return Reader.readAll(text, fileName);
    }

    /** Calls a procedure (an {@code on-ready} hook, a callback) with already evaluated arguments. */
    public Value call(Procedure p, List<Value> args) throws LispException {
        Value[] a = args.toArray(new Value[0]);
        return onEvalThread(() -> evaluator.apply(p, a));
    }

    /** Defines (or replaces) a global variable. */
    public void define(String name, Value value) {
        global.define(Sym.of(name), value);
    }

    /** Defines a builtin; {@code max < 0} means no upper bound on the argument count. */
    public void defineNative(String name, int min, int max, Native.Body body) {
        global.define(Sym.of(name), new Native(name, min, max, body));
    }

    /** The global value of {@code name}, or null when unbound. */
    public Value lookup(String name) {
        return global.lookup(Sym.of(name));
    }

    /** The last {@code compose-up} call, or null when the program never called it. */
    public ComposeRequest composeUp() {
        return domain.composeUp();
    }

    /** The {@code on-ready} hooks by service name, in registration order. */
    public Map<String, List<Procedure>> onReadyHooks() {
        return domain.onReadyHooks();
    }

    /** Stops every container the program started and did not stop itself. */
    @Override
    public void close() throws LispException {
        if (runtime != null) {
            runtime.stopAll();
        }
    }

    private interface EvalTask {
        Value run() throws LispException;
    }

    private Value onEvalThread(EvalTask task) throws LispException {
        evaluator.clearStop();
        Value[] result = new Value[1];
        Throwable[] failure = new Throwable[1];
        Runnable body = () -> {
            try {
                result[0] = task.run();
            } catch (StackOverflowError e) {
                evaluator.resetDepth();
                failure[0] = LispRuntimeException.fatal("recursion too deep (the evaluation stack is exhausted)", null);
            } catch (OutOfMemoryError e) {
                evaluator.resetDepth();
                failure[0] = LispRuntimeException.fatal("out of memory", null);
            } catch (Throwable e) {
                evaluator.resetDepth();
                failure[0] = e;
            }
        };
        Thread t = startEvalThread(body);
        if (!waitFor(t)) {
            throw LispRuntimeException.fatal("timeout: the program did not stop after its time limit", null);
        }
        Throwable f = failure[0];
        if (f == null) {
            return result[0];
        }
        if (f instanceof LispException le) {
            attachSource(le);
            throw le;
        }
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(f);
    }

    /**
     * Starts the evaluation thread with the big stack; where the system refuses that much address
     * space (strict overcommit, a small ulimit -v), falls back to smaller stacks: deep recursion then
     * ends sooner, still as a clean error.
     */
    private static Thread startEvalThread(Runnable body) {
        OutOfMemoryError refused = null;
        for (long stack = evalStackBytes; stack >= 16L << 20; stack /= 8) {
            Thread t = new Thread(null, body, "pelagos-lisp-eval", stack);
            t.setDaemon(true);
            try {
                t.start();
                evalStackBytes = stack; // later evaluations start with a size that works
                return t;
            } catch (OutOfMemoryError e) {
                refused = e;
            }
        }
        throw refused;
    }

    /** Waits for the evaluation thread; false when it ignored a stop request for too long. */
    private boolean waitFor(Thread t) {
        Duration limit = timeout;
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        boolean stopped = false;
        long stoppedAt = 0;
        while (t.isAlive()) {
            if (stopped && System.nanoTime() - stoppedAt > STOP_GRACE_NANOS) {
                // A builtin that does not check for stops (a huge list operation): give up on it.
                return false;
            }
            try {
                long left = deadline - System.nanoTime();
                if (!stopped && left <= 0) {
                    stoppedAt = System.nanoTime();
                    evaluator.requestStop("timeout: the program ran longer than " + Durations.format(limit));
                    t.interrupt();
                    stopped = true;
                }
                t.join(stopped || limit == null ? 100 : Math.max(1, Math.min(left / 1_000_000, 100)));
            } catch (InterruptedException e) {
                interrupted = true;
                stoppedAt = System.nanoTime();
                evaluator.requestStop("interrupted");
                t.interrupt();
                stopped = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private void attachSource(LispException e) {
        if (e.pos() != null && e.pos().file().equals(STDLIB)) {
            // An error inside a stdlib function is the caller's: point at the user's form.
            for (SourcePos p : e.trace()) {
                if (!p.file().equals(STDLIB)) {
                    e.relocate(p);
                    break;
                }
            }
        }
        SourcePos pos = e.pos();
        if (pos == null || e.sourceLine() != null) {
            return;
        }
        String text = sources.get(pos.file());
        if (text == null) {
            return;
        }
        int line = 1;
        int start = 0;
        while (line < pos.line()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                return;
            }
            start = nl + 1;
            line++;
        }
        int end = text.indexOf('\n', start);
        String l = text.substring(start, end < 0 ? text.length() : end);
        e.setSourceLine(l.length() > 500 ? l.substring(0, 500) : l);
    }

    /** Formats a duration for messages: {@code 5s}, {@code 1.5s}, {@code 250ms}. */
    static final class Durations {
        private Durations() {
        }

        static String format(Duration d) {
            long ms = d.toMillis();
            if (ms % 1000 == 0) {
                return (ms / 1000) + "s";
            }
            return ms < 1000 ? ms + "ms" : (ms / 1000.0) + "s";
        }
    }
}
