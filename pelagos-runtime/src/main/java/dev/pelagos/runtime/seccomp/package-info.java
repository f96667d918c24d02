/**
 * Seccomp policy: Docker/OCI JSON profiles ({@link dev.pelagos.runtime.seccomp.SeccompProfile}),
 * the built-in profile with Docker's default semantics ({@code default.json}), their evaluation for
 * one container ({@link dev.pelagos.runtime.seccomp.SeccompResolver}), compilation to BPF through
 * libseccomp ({@link dev.pelagos.runtime.seccomp.SeccompCompiler}) and the on-disk cache that keeps
 * compilation off the start path. Callers use {@link dev.pelagos.runtime.seccomp.SeccompFilters}
 * and {@link dev.pelagos.runtime.seccomp.SeccompOption}; the bytes go to the helper, which installs
 * them right before execve.
 */
package dev.pelagos.runtime.seccomp;
