package dev.pelagos.cli.lisp;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.LispRuntimeException;
import java.io.Serial;

/**
 * A Lisp error as the CLI reports it: {@code FILE:LINE:COL: message}, then the source line and a
 * caret under the column (the message spans those lines so Main prints them in one place).
 */
final class LispErrorException extends PelagosException {
    @Serial
    private static final long serialVersionUID = 1L;

    LispErrorException(LispException e) {
        super(ErrorKind.INVALID_INPUT, render(e), hint(e), e);
    }

    static String render(LispException e) {
        String excerpt = e.excerpt();
        return excerpt.isEmpty() ? e.getMessage() : e.getMessage() + "\n" + excerpt;
    }

    private static String hint(LispException e) {
        if (e instanceof LispRuntimeException r && r.isFatal() && r.rawMessage().startsWith("timeout")) {
            return "give the program more time with --timeout, or look for a loop that never ends";
        }
        if (e instanceof LispRuntimeException r && r.isFatal() && r.rawMessage().startsWith("recursion too deep")) {
            return "make the recursive call a tail call, or loop with a named let or do";
        }
        return null;
    }
}
