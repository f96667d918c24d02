package dev.pelagos.lisp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.lisp.read.Reader;
import dev.pelagos.lisp.read.Syntax;
import dev.pelagos.lisp.value.Bool;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The printer's output reads back as the same data, and the reader records positions. */
class RoundTripTest {
    private static Value readOne(String text) throws LispSyntaxException {
        List<Syntax> forms = Reader.readAll(text, "t");
        assertThat(forms).hasSize(1);
        return forms.getFirst().toValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "-7", "3.0", "0.30000000000000004", "1000000000000000000000.0", "0.0000001",
        "\"a\\\"b\\\\c\\nd\\te\"", "\"ünïcödé 日本\"", "sym", ":kw", "#t", "#f", "()", "(1 2 3)", "(1 . 2)",
        "(a (b (c . d)) \"s\" 2.5 #t)", "(quote x)", "(quasiquote (a (unquote b) (unquote-splicing c)))",
        "-0.0", "(() ())", "..."})
    void printedFormReadsBackIdentically(String text) throws Exception {
        Value v = readOne(text);
        String printed = Printer.write(v);
        assertThat(printed).isEqualTo(text);
        assertThat(Values.equal(readOne(printed), v)).isTrue();
    }

    @Test
    void randomDataRoundTrips() throws Exception {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            Value v = random(rnd, 4);
            String printed = Printer.write(v);
            Value back = readOne(printed);
            assertThat(Printer.write(back)).as(printed).isEqualTo(printed);
            assertThat(Values.equal(back, v)).as(printed).isTrue();
        }
    }

    private static Value random(Random rnd, int depth) {
        int k = rnd.nextInt(depth > 0 ? 9 : 7);
        return switch (k) {
            case 0 -> Int.of(rnd.nextLong());
            case 1 -> new Real(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20));
            case 2 -> new Str(randomString(rnd));
            case 3 -> Sym.of("s" + rnd.nextInt(100));
            case 4 -> Bool.of(rnd.nextBoolean());
            case 5 -> Nil.NIL;
            case 6 -> Sym.of(":k" + rnd.nextInt(10));
            case 7 -> new Pair(random(rnd, depth - 1), random(rnd, depth - 1));
            default -> {
                Value out = Nil.NIL;
                for (int i = rnd.nextInt(4); i >= 0; i--) {
                    out = new Pair(random(rnd, depth - 1), out);
                }
                yield out;
            }
        };
    }

    private static String randomString(Random rnd) {
        String alphabet = "ab \"\\\n\té日;()'`,.";
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(8); i > 0; i--) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Test
    void everyNodeHasItsLineAndColumn() throws Exception {
        List<Syntax> forms = Reader.readAll("; comment\n(define x\n  (+ 1 'y))\n\"s\"", "f.reml");
        Syntax.ListForm define = (Syntax.ListForm) forms.get(0);
        assertThat(define.pos()).isEqualTo(new SourcePos("f.reml", 2, 1));
        assertThat(define.items().get(1).pos()).isEqualTo(new SourcePos("f.reml", 2, 9));
        Syntax.ListForm plus = (Syntax.ListForm) define.items().get(2);
        assertThat(plus.pos()).isEqualTo(new SourcePos("f.reml", 3, 3));
        assertThat(plus.items().get(2).pos()).isEqualTo(new SourcePos("f.reml", 3, 8));
        assertThat(forms.get(1).pos()).isEqualTo(new SourcePos("f.reml", 4, 1));
    }

    @Test
    void readErrorsCarryPositions() {
        assertThatThrownBy(() -> Reader.readAll("(a\n  (b", "x"))
                .isInstanceOf(LispSyntaxException.class)
                .hasMessage("x:2:3: unmatched '('");
        assertThatThrownBy(() -> Reader.readAll("a)", "x")).hasMessage("x:1:2: unexpected ')'");
        assertThatThrownBy(() -> Reader.readAll("\"ab\\", "x")).hasMessage("x:1:1: unterminated escape in string");
    }

    @Test
    void numbersAndSymbolsAreClassifiedLikeTheReference() {
        assertThat(Reader.classify("+5")).isEqualTo(Int.of(5));
        assertThat(Reader.classify(".5")).isEqualTo(new Real(0.5));
        assertThat(Reader.classify("1.")).isEqualTo(new Real(1.0));
        assertThat(Reader.classify("1e3")).isEqualTo(new Real(1000));
        assertThat(Reader.classify("1.5f")).isEqualTo(Sym.of("1.5f"));
        assertThat(Reader.classify("0x10")).isEqualTo(Sym.of("0x10"));
        assertThat(Reader.classify("-")).isEqualTo(Sym.of("-"));
        assertThat(Reader.classify("e")).isEqualTo(Sym.of("e"));
    }
}
