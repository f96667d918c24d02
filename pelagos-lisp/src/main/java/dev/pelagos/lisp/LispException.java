package dev.pelagos.lisp;

import java.io.Serial;

/**
 * An error from reading or evaluating Lisp. {@link #rawMessage()} is the bare message a
 * {@code guard} clause sees; {@link #getMessage()} prefixes the source position when known.
 */
public abstract sealed class LispException extends Exception permits LispSyntaxException, LispRuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final int MAX_TRACE = 64;

    private final String rawMessage;
    private SourcePos pos;
    private String sourceLine;
    private final java.util.ArrayList<SourcePos> trace = new java.util.ArrayList<>();

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

    /**
     * Attaches a position if none is known yet (the innermost form wins), and records it in the
     * trace of forms the error passed through on its way out.
     */
    public void locate(SourcePos where) {
        if (pos == null) {
            pos = where;
        }
        if (where != null && trace.size() < MAX_TRACE && (trace.isEmpty() || !trace.getLast().equals(where))) {
            trace.add(where);
        }
    }

    /** The positions of the forms being evaluated when the error happened, innermost first. */
    public java.util.List<SourcePos> trace() {
        return java.util.List.copyOf(trace);
    }

    /** Reports the error at another position (e.g. the user's call rather than a library line). */
    public void relocate(SourcePos where) {
        pos = where;
        sourceLine = null;
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
