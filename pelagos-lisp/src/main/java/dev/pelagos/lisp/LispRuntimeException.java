package dev.pelagos.lisp;

import java.io.Serial;

/**
 * An error raised while evaluating: a Lisp {@code error}, a type or arity error, an unbound
 * variable. {@link #isFatal()} errors (time-out, interruption, exhausted stack or memory) are not
 * catchable by {@code guard}: the program must stop.
 */
public non-sealed class LispRuntimeException extends LispException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean fatal;

    public LispRuntimeException(String message) {
        this(message, null, false, null);
    }

    public LispRuntimeException(String message, Throwable cause) {
        this(message, null, false, cause);
    }

    protected LispRuntimeException(String message, SourcePos pos, boolean fatal, Throwable cause) {
        super(message, pos, cause);
        this.fatal = fatal;
    }

    /** An error that stops the program whatever {@code guard} forms surround it. */
    public static LispRuntimeException fatal(String message, Throwable cause) {
        return new LispRuntimeException(message, null, true, cause);
    }

    public boolean isFatal() {
        return fatal;
    }
}
