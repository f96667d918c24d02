package dev.pelagos.cli.lisp;

import dev.pelagos.cli.Cli;
import dev.pelagos.lisp.Interpreter;
import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.LispSyntaxException;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The read-eval-print loop. Input continues over several lines until the parentheses balance and
 * strings are closed; each complete input is evaluated and its value printed. Errors are shown and
 * the session goes on. Line editing is what the terminal's line discipline gives (backspace, ^U,
 * ^W); there is no history.
 */
final class Repl {
    private static final String PROMPT = "lisp> ";
    private static final String CONTINUE = "...   ";

    private final Interpreter lisp;
    private final ConsoleHost host;
    private final PrintStream out;
    private final PrintStream err;

    Repl(Interpreter lisp, ConsoleHost host, Cli cli) {
        this.lisp = lisp;
        this.host = host;
        this.out = cli.out();
        this.err = cli.err();
    }

    int run(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean interactive = System.console() != null;
        StringBuilder pending = new StringBuilder();
        int inputNumber = 0;
        while (true) {
            if (interactive) {
                out.print(pending.isEmpty() ? PROMPT : CONTINUE);
                out.flush();
            }
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                err.println("pelagos: error: reading input: " + e.getMessage());
                return 1;
            }
            if (line == null) {
                if (interactive) {
                    out.println();
                }
                return 0;
            }
            pending.append(line).append('\n');
            String text = pending.toString();
            if (text.isBlank() || isIncomplete(text)) {
                if (text.isBlank()) {
                    pending.setLength(0);
                }
                continue;
            }
            pending.setLength(0);
            inputNumber++;
            evalAndPrint(text, "<repl:" + inputNumber + ">");
        }
    }

    private void evalAndPrint(String text, String name) {
        host.markLineStart();
        try {
            Value v = lisp.evalSource(text, name);
            if (!host.atLineStart()) {
                out.println();
            }
            out.println(Printer.write(v));
        } catch (LispException e) {
            if (!host.atLineStart()) {
                out.println();
            }
            out.flush();
            err.println("error: " + LispErrorException.render(e));
        }
        out.flush();
    }

    /** True when the text only lacks its end: an open list or string, or a quote with nothing after it. */
    static boolean isIncomplete(String text) {
        try {
            Interpreter.read(text, "<repl>");
            return false;
        } catch (LispSyntaxException e) {
            String m = e.rawMessage();
            return m.equals("unmatched '('") || m.equals("unterminated string") || m.equals("unexpected end of input")
                    || m.equals("unterminated escape in string");
        }
    }
}
