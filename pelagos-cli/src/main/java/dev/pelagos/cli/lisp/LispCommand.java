package dev.pelagos.cli.lisp;

import dev.pelagos.base.Durations;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.lisp.Interpreter;
import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code pelagos lisp}: run a {@code .reml} program, evaluate an expression ({@code -e}), or start
 * a REPL. The domain builtins are there; containers are not (those come with {@code compose up}).
 */
public final class LispCommand implements Command {
    @Override
    public Options options() {
        return new Options()
                .value("-e, --eval", "EXPR", "evaluate EXPR and print the value of its last form")
                .value("--timeout", "DURATION", "stop the program after DURATION (e.g. 10s, 1m)");
    }

    @Override
    public String usage() {
        return "[--timeout DURATION] [FILE | -e EXPR]";
    }

    @Override
    public String summary() {
        return "Run a Lisp program, evaluate an expression, or start a REPL";
    }

    @Override
    public int run(Args args, Cli cli) throws PelagosException {
        args.atMost(1);
        String expr = args.get("eval");
        if (expr != null && !args.positionals().isEmpty()) {
            throw new UsageException("give either FILE or -e EXPR, not both", "see 'pelagos lisp --help'");
        }
        Duration timeout = args.has("timeout") ? Durations.parse("--timeout", args.get("timeout")) : null;
        ConsoleHost host = new ConsoleHost(cli.out(), cli.err());
        Interpreter lisp = new Interpreter(host);
        lisp.setTimeout(timeout);
        try {
            if (expr != null) {
                Value v = lisp.evalSource(expr, "<expr>");
                if (!host.atLineStart()) {
                    cli.out().println();
                }
                cli.out().println(Printer.write(v));
            } else if (!args.positionals().isEmpty()) {
                runFile(lisp, args.positionals().getFirst());
            } else {
                return new Repl(lisp, host, cli).run(System.in, Repl.editingConsole());
            }
        } catch (LispException e) {
            throw new LispErrorException(e);
        } finally {
            cli.out().flush();
        }
        if (lisp.composeUp() != null) {
            cli.err().println("note: the program called compose-up; 'pelagos compose up -f FILE' starts the services");
        }
        return 0;
    }

    private static void runFile(Interpreter lisp, String file) throws LispException, PelagosException {
        try {
            if (file.equals("-")) {
                InputStream in = System.in;
                lisp.evalSource(new String(in.readAllBytes(), StandardCharsets.UTF_8), "<stdin>");
            } else {
                lisp.evalFile(Path.of(file));
            }
        } catch (NoSuchFileException e) {
            throw new PelagosException(ErrorKind.NOT_FOUND, "cannot read " + file + ": no such file", null, e);
        } catch (CharacterCodingException e) {
            throw new PelagosException(ErrorKind.INVALID_INPUT, "cannot read " + file + ": not valid UTF-8",
                    "save the program as UTF-8", e);
        } catch (IOException e) {
            throw PelagosException.io("cannot read " + file, e);
        }
    }
}
