package dev.pelagos.lisp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every special form, builtin, stdlib function and macro is exercised by the golden corpus
 * (the issue's coverage requirement), so a new builtin without golden cases fails the build.
 */
class GoldenCoverageTest {
    static final List<String> SPECIAL_FORMS = List.of("quote", "quasiquote", "if", "cond", "when", "unless", "and",
            "or", "begin", "define", "set!", "lambda", "defmacro", "let", "let*", "letrec", "do", "guard");
    static final List<String> CORE = List.of("+", "*", "-", "/", "quotient", "remainder", "modulo", "abs", "min",
            "max", "expt", "=", "<", ">", "<=", ">=", "equal?", "eqv?", "eq?", "not", "boolean?", "null?", "pair?",
            "list?", "symbol?", "string?", "number?", "integer?", "procedure?", "cons", "car", "cdr", "caar", "cadr",
            "cdar", "cddr", "caddr", "list", "length", "append", "reverse", "list-ref", "iota", "assoc", "assv", "map",
            "for-each", "filter", "apply", "fold-left", "fold-right", "string-append", "string-length", "substring",
            "string->number", "number->string", "string-upcase", "string-downcase", "string=?", "string<?",
            "string>?", "string-contains", "symbol->string", "string->symbol", "display", "write", "newline", "error",
            "format", "sleep");
    static final List<String> DOMAIN = List.of("service", "network", "volume", "compose", "compose-up", "on-ready",
            "env", "log");
    static final List<String> STDLIB = List.of("caaar", "caadr", "cadar", "cdddr", "cdaar", "cdadr", "cddar",
            "caaaar", "caaadr", "caadar", "caaddr", "cadaar", "cadadr", "caddar", "cadddr", "cdaaar", "cdaadr",
            "cdadar", "cdaddr", "cddaar", "cddadr", "cdddar", "cddddr", "assoc", "result-ref", "zero?", "ok", "err",
            "ok?", "err?", "ok-value", "err-reason", "define-service", "logf", "errorf", "unless", "with-cleanup",
            "define-nodes", "define-results", "define-run", "define-then");
    static final List<String> RUNTIME = List.of("container-start", "container-start-bg", "container-join", "start",
            "then", "then-all", "run", "resolve", "await", "container-stop", "container-wait", "container-run",
            "container-ip", "container-status", "await-port");

    @Test
    void theCountsMatchTheReference() {
        assertThat(SPECIAL_FORMS).hasSize(18);
        assertThat(CORE).hasSize(70).doesNotHaveDuplicates();
        assertThat(DOMAIN).hasSize(8);
        assertThat(STDLIB).hasSize(32 + 9);
        assertThat(RUNTIME).hasSize(15);
    }

    @Test
    void everyNameIsBoundInTheInterpreter() {
        Interpreter lisp = new Interpreter(LispHost.capture(), new FakeBindings());
        for (String n : Stream.of(CORE, DOMAIN, STDLIB, RUNTIME).flatMap(List::stream).toList()) {
            assertThat(lisp.lookup(n)).as(n).isNotNull();
        }
    }

    @Test
    void everyNameIsCalledInTheGoldenCorpus() throws Exception {
        String plain = corpus(false);
        String runtime = corpus(true);
        List<String> missing = new ArrayList<>();
        for (String n : Stream.of(SPECIAL_FORMS, CORE, DOMAIN).flatMap(List::stream).toList()) {
            if (!called(plain, n)) {
                missing.add(n);
            }
        }
        for (String n : STDLIB) {
            // the future macros (define-nodes, define-run, define-then) need the runtime builtins
            if (!called(plain + runtime, n)) {
                missing.add(n);
            }
        }
        for (String n : RUNTIME) {
            if (!called(runtime, n)) {
                missing.add(n);
            }
        }
        assertThat(missing).as("names without a golden case").isEmpty();
    }

    private static boolean called(String text, String name) {
        return Pattern.compile("\\(" + Pattern.quote(name) + "[\\s)]").matcher(text).find();
    }

    private static String corpus(boolean runtime) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(GoldenTest.goldenDir())) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("runtime-") == runtime).toList()) {
                sb.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }
}
