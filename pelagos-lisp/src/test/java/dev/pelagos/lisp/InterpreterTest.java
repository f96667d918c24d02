package dev.pelagos.lisp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.ServiceSpec;
import dev.pelagos.lisp.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour that golden files cannot express: positions, limits, time-outs, the embedding API. */
class InterpreterTest {
    private final LispHost.Capture host = LispHost.capture();
    private final Interpreter lisp = new Interpreter(host);

    private String eval(String src) throws LispException {
        return Printer.write(lisp.evalSource(src, "t.reml"));
    }

    @Test
    void runtimeErrorsNameFileLineAndColumnAndShowTheLine() {
        assertThatThrownBy(() -> eval("(define x 1)\n(display\n   (car x))"))
                .isInstanceOfSatisfying(LispRuntimeException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("t.reml:3:4: car: expected pair, got int");
                    assertThat(e.excerpt()).isEqualTo("   (car x))\n   ^");
                });
        assertThatThrownBy(() -> eval("(+ 1\n  nope)")).hasMessage("t.reml:2:3: unbound variable: nope");
    }

    @Test
    void errorsInsideFunctionsPointAtTheFailingForm() {
        assertThatThrownBy(() -> eval("(define (f x)\n  (error \"bad\" x))\n(f 5)"))
                .hasMessage("t.reml:2:3: bad 5");
    }

    @Test
    void errorsInsideTheStdlibPointAtTheUsersCall() {
        assertThatThrownBy(() -> eval("(define r '((\"a\" . 1)))\n  (result-ref r \"b\")"))
                .isInstanceOfSatisfying(LispRuntimeException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("t.reml:2:3: result-ref: no result for 'b'");
                    assertThat(e.excerpt()).isEqualTo("  (result-ref r \"b\")\n  ^");
                    assertThat(e.trace()).isNotEmpty();
                });
    }

    @Test
    void tenMillionStepTailLoopRunsInConstantStack() throws Exception {
        assertThat(eval("(define (count n acc) (if (= n 0) acc (count (- n 1) (+ acc 1)))) (count 10000000 0)"))
                .isEqualTo("10000000");
    }

    @Test
    void tailCallsInEveryTailPosition() throws Exception {
        String n = "300000";
        assertThat(eval("(define (a n) (cond ((= n 0) 'done) (else (a (- n 1))))) (a " + n + ")")).isEqualTo("done");
        assertThat(eval("(define (b n) (when #t (if (= n 0) 'done (b (- n 1))))) (b " + n + ")")).isEqualTo("done");
        assertThat(eval("(define (c n) (and #t (or #f (if (= n 0) 'done (c (- n 1)))))) (c " + n + ")")).isEqualTo("done");
        assertThat(eval("(define (d n) (let* ((m (- n 1))) (letrec ((z 0)) (if (< m 0) 'done (d m))))) (d " + n + ")"))
                .isEqualTo("done");
        assertThat(eval("(define (e n) (guard (x (#t (if (= n 0) 'done (e (- n 1))))) (error \"x\"))) (e 100000)"))
                .isEqualTo("done");
        assertThat(eval("(define (f n) (do ((i 0 (+ i 1))) ((= i 1) (if (= n 0) 'done (f (- n 1)))))) (f " + n + ")"))
                .isEqualTo("done");
        assertThat(eval("(defmacro my-if (c a b) `(cond (,c ,a) (else ,b)))"
                + "(define (g n) (my-if (= n 0) 'done (g (- n 1)))) (g " + n + ")")).isEqualTo("done");
        assertThat(eval("(define (h n) (unless #f (begin (if (= n 0) 'done (h (- n 1)))))) (h " + n + ")"))
                .isEqualTo("done");
    }

    @Test
    void hundredThousandDeepNonTailRecursionWorks() throws Exception {
        assertThat(eval("(define (depth n) (if (= n 0) 0 (+ 1 (depth (- n 1))))) (depth 100000)")).isEqualTo("100000");
    }

    @Test
    void unboundedRecursionIsACleanErrorThatGuardCannotSwallow() throws Exception {
        assertThatThrownBy(() -> eval("(define (inf n) (+ 1 (inf n))) (guard (e (#t 'swallowed)) (inf 1))"))
                .isInstanceOfSatisfying(LispRuntimeException.class, e -> {
                    assertThat(e.rawMessage()).startsWith("recursion too deep");
                    assertThat(e.isFatal()).isTrue();
                });
        assertThat(eval("(+ 1 2)")).isEqualTo("3");
        // the depth count is intact afterwards: the limit still applies at the same depth
        assertThatThrownBy(() -> eval("(inf 1)")).hasMessageContaining("recursion too deep");
        assertThat(eval("(define (depth n) (if (= n 0) 0 (+ 1 (depth (- n 1))))) (depth 100000)")).isEqualTo("100000");
    }

    @Test
    void deeplyNestedInputReadsAndEvaluatesOrFailsCleanly() throws Exception {
        int n = 100_000;
        String nested = "(car ".repeat(0) + "'" + "(".repeat(n) + ")".repeat(n);
        assertThat(eval("(length " + nested + ")")).isEqualTo("1");
        String deepCode = "(+ 1 ".repeat(n) + "0" + ")".repeat(n);
        assertThat(eval(deepCode)).isEqualTo(Integer.toString(n));
    }

    @Test
    void hundredMegabyteStringIsACleanError() {
        assertThatThrownBy(() -> eval("(let loop ((s \"0123456789\")) (loop (string-append s s)))"))
                .hasMessageContaining("string-append: string too long");
        String big = "\"" + "x".repeat(100 << 20) + "\"";
        assertThatThrownBy(() -> eval(big)).isInstanceOf(LispSyntaxException.class)
                .hasMessageContaining("string literal too long");
    }

    @Test
    void timeoutStopsARunawayProgram() {
        lisp.setTimeout(Duration.ofMillis(300));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> eval("(let loop () (loop))")).hasMessageContaining("timeout");
        assertThatThrownBy(() -> eval("(sleep 100)")).hasMessageContaining("timeout");
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void cancelFromAnotherThreadStopsEvaluation() throws Exception {
        // Cancels repeatedly until the evaluation has ended, so a slow start cannot lose the request.
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread canceller = new Thread(() -> {
            while (!done.get()) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                lisp.cancel("interrupted by user");
            }
        });
        canceller.start();
        try {
            assertThatThrownBy(() -> eval("(let loop ((i 0)) (loop (+ i 1)))"))
                    .hasMessageContaining("interrupted by user");
        } finally {
            done.set(true);
            canceller.join();
        }
        assertThat(eval("'still-usable")).isEqualTo("still-usable");
    }

    @Test
    void outputAndLogGoToTheHost() throws Exception {
        eval("(display \"a\") (write \"b\") (newline) (log \"x\" 1 \"y\") (logf \"n=~a\" 2)");
        assertThat(host.output()).isEqualTo("a\"b\"\n");
        assertThat(host.logs()).containsExactly("x 1 y", "n=2");
    }

    @Test
    void composeUpAndOnReadyAreRecordedForCompose() throws Exception {
        eval("(define-service web \"web\" :image \"nginx\" :port (8080 . 80) :env (\"A\" . \"1\") (\"B\" \"2\")"
                + " :depends-on \"db\" 5432 :command \"nginx\" \"-g\" \"daemon off;\" :bind \"./site\" \"/usr/share\""
                + " :bind-ro \"/etc/x\" \"/x\" :ready (http \"http://localhost/\") :restart \"always\")"
                + "(on-ready \"web\" (lambda () (log \"ready\")))"
                + "(compose-up (compose web (network \"front\" '(subnet \"10.5.0.0/24\")) (volume \"data\")) \"shop\")");
        ComposeRequest req = lisp.composeUp();
        assertThat(req.project()).isEqualTo("shop");
        assertThat(req.foreground()).isFalse();
        ServiceSpec web = req.spec().services().getFirst();
        assertThat(web.image()).isEqualTo("nginx");
        assertThat(web.ports()).containsExactly(new ServiceSpec.PortMapping(8080, 80));
        assertThat(web.env()).containsExactly(new ServiceSpec.EnvVar("A", "1"), new ServiceSpec.EnvVar("B", "2"));
        assertThat(web.dependsOn()).containsExactly(new ServiceSpec.Dependency("db", 5432));
        assertThat(web.command()).containsExactly("nginx", "-g", "daemon off;");
        assertThat(web.binds()).containsExactly(new ServiceSpec.BindMount("./site", "/usr/share", false),
                new ServiceSpec.BindMount("/etc/x", "/x", true));
        assertThat(web.ready()).isEqualTo(new ServiceSpec.HttpCheck("http://localhost/"));
        assertThat(web.restart()).isEqualTo("always");
        assertThat(req.spec().networks().getFirst().subnet()).isEqualTo("10.5.0.0/24");
        assertThat(req.spec().volumes().getFirst().name()).isEqualTo("data");
        var hooks = lisp.onReadyHooks().get("web");
        assertThat(hooks).hasSize(1);
        lisp.call(hooks.getFirst(), List.of());
        assertThat(host.logs()).containsExactly("ready");
    }

    @Test
    void runtimeBuiltinsAreUnboundWithoutBindings() {
        for (String name : List.of("container-start", "container-start-bg", "container-join", "start", "then",
                "then-all", "run", "resolve", "await", "container-stop", "container-wait", "container-run",
                "container-ip", "container-status", "await-port")) {
            assertThat(lisp.lookup(name)).as(name).isNull();
        }
        assertThatThrownBy(() -> eval("(container-start 1)")).hasMessageContaining("unbound variable: container-start");
    }

    @Test
    void closeStopsContainersTheProgramLeftRunning() throws Exception {
        FakeBindings fake = new FakeBindings();
        try (Interpreter withContainers = new Interpreter(host, fake)) {
            withContainers.evalSource("(define a (container-start (service \"a\" '(image \"x\"))))"
                    + "(define b (container-start (service \"b\" '(image \"x\"))))"
                    + "(container-stop a)", "t.reml");
            assertThat(fake.runningCount()).isEqualTo(1);
        }
        assertThat(fake.runningCount()).isZero();
        assertThat(fake.events()).containsExactly("start a", "start b", "stop a", "stop b");
    }

    @Test
    void evalFileUsesThePathInErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("app.reml");
        Files.writeString(f, "(define x 1)\n(car x)\n");
        assertThatThrownBy(() -> lisp.evalFile(f)).hasMessage(f + ":2:1: car: expected pair, got int");
    }

    @Test
    void definedNativesAreCallable() throws Exception {
        lisp.defineNative("twice", 1, 1, a -> new dev.pelagos.lisp.value.Int(((dev.pelagos.lisp.value.Int) a[0]).value() * 2));
        Value v = lisp.evalSource("(twice 21)", "t");
        assertThat(Printer.write(v)).isEqualTo("42");
    }
}
