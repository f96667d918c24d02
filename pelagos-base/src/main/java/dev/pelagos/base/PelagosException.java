package dev.pelagos.base;

import java.util.Objects;

/**
 * The root of every error Pelagos reports to a user. The message is lower case, names the
 * object that failed and says what was being done; the optional hint says what to do about it.
 * Libraries throw these; only the CLI prints them.
 */
public class PelagosException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String hint;

    public PelagosException(ErrorKind kind, String message) {
        this(kind, message, null, null);
    }

    public PelagosException(ErrorKind kind, String message, String hint) {
        this(kind, message, hint, null);
    }

    public PelagosException(ErrorKind kind, String message, String hint, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.hint = hint;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }

    public static PelagosException invalid(String message) {
        return new PelagosException(ErrorKind.INVALID_INPUT, message);
    }

    public static PelagosException invalid(String message, String hint) {
        return new PelagosException(ErrorKind.INVALID_INPUT, message, hint);
    }

    public static PelagosException notFound(String message, String hint) {
        return new PelagosException(ErrorKind.NOT_FOUND, message, hint);
    }

    public static PelagosException conflict(String message, String hint) {
        return new PelagosException(ErrorKind.CONFLICT, message, hint);
    }

    /** Wraps an I/O failure with what was being done, keeping the cause. */
    public static PelagosException io(String doing, java.io.IOException cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new PelagosException(ErrorKind.INTERNAL, doing + ": " + why, null, cause);
    }
}
