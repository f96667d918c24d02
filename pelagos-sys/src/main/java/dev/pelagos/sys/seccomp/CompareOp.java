package dev.pelagos.sys.seccomp;

/** An argument comparison, numbered as libseccomp's {@code enum scmp_compare}. */
public enum CompareOp {
    NE(1),
    LT(2),
    LE(3),
    EQ(4),
    GE(5),
    GT(6),
    /** {@code (arg & value) == valueTwo}. */
    MASKED_EQ(7);

    private final int code;

    CompareOp(int code) {
        this.code = code;
    }

    /** The libseccomp enum value. */
    public int code() {
        return code;
    }
}
