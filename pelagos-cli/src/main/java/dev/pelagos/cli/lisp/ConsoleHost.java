package dev.pelagos.cli.lisp;

import dev.pelagos.lisp.LispHost;
import java.io.PrintStream;

/** Program output to stdout, {@code log} lines to stderr as {@code [lisp] ...}. */
final class ConsoleHost implements LispHost {
    private final PrintStream out;
    private final PrintStream err;
    private boolean atLineStart = true;

    ConsoleHost(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public synchronized void print(String text) {
        out.print(text);
        if (!text.isEmpty()) {
            atLineStart = text.endsWith("\n");
        }
    }

    @Override
    public synchronized void log(String message) {
        out.flush();
        err.println("[lisp] " + message);
    }

    /** Whether the program's last output ended a line (so a value printed next starts on its own line). */
    synchronized boolean atLineStart() {
        return atLineStart;
    }

    synchronized void markLineStart() {
        atLineStart = true;
    }
}
