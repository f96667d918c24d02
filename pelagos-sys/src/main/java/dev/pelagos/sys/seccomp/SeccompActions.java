package dev.pelagos.sys.seccomp;

/**
 * Filter return values: the kernel's {@code SECCOMP_RET_*} encoding, which libseccomp's
 * {@code SCMP_ACT_*} values equal.
 */
public final class SeccompActions {
    public static final int KILL_PROCESS = 0x8000_0000;
    public static final int KILL_THREAD = 0x0000_0000;
    public static final int TRAP = 0x0003_0000;
    public static final int ERRNO_BASE = 0x0005_0000;
    public static final int TRACE_BASE = 0x7ff0_0000;
    public static final int LOG = 0x7ffc_0000;
    public static final int ALLOW = 0x7fff_0000;
    /** The errno number that {@link #errno(int)} and {@link #trace(int)} accept at most. */
    public static final int MAX_DATA = 0xffff;

    private SeccompActions() {
    }

    /** Fail the syscall with {@code -errno} without running it. */
    public static int errno(int errno) {
        return ERRNO_BASE | checkData(errno);
    }

    /** Notify a ptrace tracer, passing {@code data} in the event message. */
    public static int trace(int data) {
        return TRACE_BASE | checkData(data);
    }

    private static int checkData(int data) {
        if (data < 0 || data > MAX_DATA) {
            throw new IllegalArgumentException("seccomp action data " + data + " is outside 0.." + MAX_DATA);
        }
        return data;
    }

    /** A readable form of an action value, for messages and tests. */
    public static String describe(int action) {
        int kind = action & 0xffff_0000;
        int data = action & 0xffff;
        return switch (kind) {
            case KILL_PROCESS -> "KILL_PROCESS";
            case KILL_THREAD -> "KILL_THREAD";
            case TRAP -> "TRAP";
            case ERRNO_BASE -> "ERRNO(" + data + ")";
            case TRACE_BASE -> "TRACE(" + data + ")";
            case LOG -> "LOG";
            case ALLOW -> "ALLOW";
            default -> String.format("0x%08x", action);
        };
    }
}
