package dev.pelagos.cli.lisp;

import dev.pelagos.cli.Cli;
import dev.pelagos.lisp.Interpreter;
import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.LispSyntaxException;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Value;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The read-eval-print loop. Input continues over several lines until the parentheses balance and
 * strings are closed; each complete input is evaluated and its value printed. Errors are shown and
 * the session goes on. On a terminal, lines are read through the JDK's own JLine-based console
 * ({@code jdk.internal.le}, the one jshell uses): cursor movement, Emacs keys and history, with no
 * dependency to ship. Piped input is read plainly.
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

    /** The console to read from with line editing, or null when input is not a terminal. */
    static Console editingConsole() {
        if (System.getProperty("jdk.console") == null) {
            // JDK 25 defaults to the plain console; the JLine-based one ships with every JDK.
            System.setProperty("jdk.console", "jdk.internal.le");
        }
        Console c = System.console();
        return c != null && c.isTerminal() ? c : null;
    }

    int run(InputStream in, Console console) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean interactive = console != null;
        StringBuilder pending = new StringBuilder();
        int inputNumber = 0;
        while (true) {
            String prompt = pending.isEmpty() ? PROMPT : CONTINUE;
            String line;
            try {
                if (interactive) {
                    out.flush();
                    line = console.readLine("%s", prompt);
                } else {
                    line = reader.readLine();
                }
            } catch (IOException | java.io.IOError e) {
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
