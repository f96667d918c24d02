package dev.pelagos.lisp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.lisp.FakeBindings;
import dev.pelagos.lisp.Interpreter;
import dev.pelagos.lisp.LispHost;
import dev.pelagos.lisp.value.FutureValue;
import dev.pelagos.lisp.value.Printer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The static executor's Kahn tiers and start order, seen from Java. */
class ExecutorTest {
    private final FakeBindings fake = new FakeBindings();
    private final Interpreter lisp = new Interpreter(LispHost.capture(), fake);

    private FutureValue future(String name) {
        return (FutureValue) lisp.lookup(name);
    }

    @Test
    void tiersFollowDependenciesAndKeepDiscoveryOrder() throws Exception {
        lisp.evalSource("""
                (define (svc n) (service n '(image "x")))
                (define db (start (svc "db")))
                (define cache (start (svc "cache")))
                (define api (start (svc "api") :needs (list db)))
                (define web (start (svc "web") :needs (list api cache)))
                (define report (then-all (list web db) (lambda (w d) 'ok)))
                """, "t.reml");
        List<List<FutureValue>> tiers = FutureExecutor.tiers(List.of(future("report")));
        assertThat(tiers.stream().map(t -> t.stream().map(FutureValue::name).toList()).toList())
                .containsExactly(List.of("db", "cache"), List.of("api"), List.of("web"), List.of("join(web,db)"));
    }

    @Test
    void runStartsEachSharedDependencyOnceAndGivesHandlesTheirDependencies() throws Exception {
        lisp.evalSource("""
                (define (svc n) (service n '(image "x")))
                (define db (start (svc "db")))
                (define api (start (svc "api") :needs (list db)))
                (define web (start (svc "web") :needs (list api db)))
                (define result (run (list web api)))
                """, "t.reml");
        assertThat(fake.events()).containsExactly("start db", "start api", "start web");
        assertThat(Printer.write(lisp.evalSource("(map car result)", "t.reml"))).isEqualTo("(\"web\" \"api\")");
        lisp.evalSource("(container-stop (cdr (car result)))", "t.reml");
        assertThat(fake.events()).containsExactly("start db", "start api", "start web", "stop web", "stop api", "stop db");
    }

    @Test
    void parallelRunStartsEveryContainerOfATier() throws Exception {
        lisp.evalSource("""
                (define (svc n) (service n '(image "x")))
                (define all (map (lambda (n) (start (svc n))) '("a" "b" "c" "d" "e")))
                (define result (run all :max-parallel 3))
                """, "t.reml");
        assertThat(fake.events()).hasSize(5).allMatch(e -> e.startsWith("start "));
        assertThat(Printer.write(lisp.evalSource("(map car result)", "t.reml"))).isEqualTo("(\"a\" \"b\" \"c\" \"d\" \"e\")");
    }
}
