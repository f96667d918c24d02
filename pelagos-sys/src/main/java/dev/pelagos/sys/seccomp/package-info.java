/**
 * libseccomp through FFM ({@link dev.pelagos.sys.seccomp.LibSeccomp}), behind the plain-Java
 * {@link dev.pelagos.sys.seccomp.SeccompBackend} contract ({@link dev.pelagos.sys.seccomp.FilterProgram}
 * in, {@link dev.pelagos.sys.seccomp.CompiledFilter} BPF out). {@link dev.pelagos.sys.seccomp.LibSeccompLocator}
 * finds the library and its version without FFM, for cache keys on the start path.
 */
package dev.pelagos.sys.seccomp;
