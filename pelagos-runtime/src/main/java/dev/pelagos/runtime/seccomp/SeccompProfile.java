package dev.pelagos.runtime.seccomp;

import java.math.BigInteger;
import java.util.List;

/**
 * A seccomp profile in the Docker / OCI JSON shape. Docker profiles add {@code archMap} and the
 * {@code includes}/{@code excludes} conditions; an OCI {@code linux.seccomp} object is the subset
 * without them. Instances come from {@link SeccompProfileParser}, which checks them; absent JSON
 * fields are null here.
 */
public record SeccompProfile(
        String defaultAction,
        Integer defaultErrnoRet,
        List<String> architectures,
        List<ArchMapping> archMap,
        List<String> flags,
        String listenerPath,
        List<Syscall> syscalls) {

    /** Docker's per-native-architecture list: use {@code architecture} and its {@code subArchitectures}. */
    public record ArchMapping(String architecture, List<String> subArchitectures) {
    }

    /**
     * One rule block. {@code name} is the old single-name form; {@code names} the current one.
     * {@code includes} must all hold and no {@code excludes} may hold for the block to apply.
     */
    public record Syscall(
            String name,
            List<String> names,
            String action,
            Integer errnoRet,
            List<Arg> args,
            Filter includes,
            Filter excludes,
            String comment) {
    }

    /** An argument condition; {@code value}/{@code valueTwo} are uint64 in the JSON. */
    public record Arg(Integer index, BigInteger value, BigInteger valueTwo, String op) {
    }

    /** A condition on the container: granted capabilities, native architecture (Go names), kernel. */
    public record Filter(List<String> caps, List<String> arches, String minKernel) {
    }
}
