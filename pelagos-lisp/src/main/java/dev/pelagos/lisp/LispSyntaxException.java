package dev.pelagos.lisp;

import java.io.Serial;

/** The reader could not parse the text: unbalanced parentheses, an unterminated string, ... */
public final class LispSyntaxException extends LispException {
    @Serial
    private static final long serialVersionUID = 1L;

    public LispSyntaxException(String message, SourcePos pos) {
        super(message, pos, null);
    }
}
