package dev.pelagos.lisp;

/**
 * Bounds that turn runaway programs into clean errors instead of a crashed or wedged JVM.
 * Generous for any real compose file.
 */
public final class Limits {
    /** Longest string a program may build or read: 64 Mi characters. */
    public static final int MAX_STRING_CHARS = 1 << 26;
    /** Deepest list nesting the reader accepts. */
    public static final int MAX_NESTING = 1_000_000;
    /** Deepest non-tail evaluation (nested calls); beyond it: "recursion too deep". */
    public static final int MAX_DEPTH = 400_000;
    /** Stack size of the thread that evaluates; deep recursion needs it. */
    public static final long EVAL_STACK_BYTES = 2L << 30;

    private Limits() {
    }
}
