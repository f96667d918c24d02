package dev.pelagos.lisp;

import java.io.Serial;

/**
 * An error from reading or evaluating Lisp. {@link #rawMessage()} is the bare message a
 * {@code guard} clause sees; {@link #getMessage()} prefixes the source position when known.
 */
public abstract sealed class LispException extends Exception permits LispSyntaxException, LispRuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String rawMessage;
    private SourcePos pos;
    private String sourceLine;

    protected LispException(String rawMessage, SourcePos pos, Throwable cause) {
        super(rawMessage, cause);
        this.rawMessage = rawMessage;
        this.pos = pos;
    }

    /** The message without position, as {@code guard} binds it. */
    public String rawMessage() {
        return rawMessage;
    }

    /** Where the error happened, or null when unknown. */
    public SourcePos pos() {
        return pos;
    }

    /** Attaches a position if none is known yet (the innermost form wins). */
    public void locate(SourcePos where) {
        if (pos == null) {
            pos = where;
        }
    }

    /** The text of the source line at {@link #pos()}, or null. */
    public String sourceLine() {
        return sourceLine;
    }

    public void setSourceLine(String line) {
        this.sourceLine = line;
    }

    /** Two lines: the source line and a caret under the column; empty when the line is unknown. */
    public String excerpt() {
        if (sourceLine == null || pos == null) {
            return "";
        }
        StringBuilder caret = new StringBuilder();
        for (int i = 0; i < pos.col() - 1 && i < sourceLine.length(); i++) {
            caret.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
        }
        return sourceLine + "\n" + caret + "^";
    }

    @Override
    public String getMessage() {
        return pos == null ? rawMessage : pos + ": " + rawMessage;
    }
}
