package dev.pelagos.sys.seccomp;

import java.util.Objects;

/**
 * A condition on one syscall argument, the fields of libseccomp's {@code struct scmp_arg_cmp}.
 * For {@link CompareOp#MASKED_EQ} {@code value} is the mask and {@code valueTwo} the expected result;
 * other operators ignore {@code valueTwo}.
 */
public record ArgCondition(int index, CompareOp op, long value, long valueTwo) {
    /** Linux passes six syscall arguments. */
    public static final int MAX_ARGUMENTS = 6;

    public ArgCondition {
        Objects.requireNonNull(op, "op");
        if (index < 0 || index >= MAX_ARGUMENTS) {
            throw new IllegalArgumentException("syscall argument index " + index + " is outside 0.."
                    + (MAX_ARGUMENTS - 1));
        }
    }
}
