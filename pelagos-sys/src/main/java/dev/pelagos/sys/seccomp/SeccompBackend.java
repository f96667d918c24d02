package dev.pelagos.sys.seccomp;

/**
 * Turns a {@link FilterProgram} into BPF. The real one is {@link LibSeccomp}; tests of the policy
 * code above this layer can supply their own.
 */
public interface SeccompBackend {
    /** The library version, e.g. {@code 2.5.4}; part of every cache key. */
    String version();

    /** Compiles the program; never installs it in this process. */
    CompiledFilter compile(FilterProgram program) throws SeccompException;
}
