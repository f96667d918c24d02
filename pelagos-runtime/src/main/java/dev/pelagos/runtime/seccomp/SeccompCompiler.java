package dev.pelagos.runtime.seccomp;

import dev.pelagos.sys.seccomp.CompiledFilter;
import dev.pelagos.sys.seccomp.LibSeccomp;
import dev.pelagos.sys.seccomp.SeccompBackend;
import dev.pelagos.sys.seccomp.SeccompException;

/**
 * Compiles a resolved profile to BPF through a {@link SeccompBackend}. The libseccomp backend is
 * loaded on the first compile only, so building a compiler costs nothing on the cache-hit path.
 */
public final class SeccompCompiler {
    /** Supplies the backend when it is first needed. */
    public interface BackendLoader {
        SeccompBackend load() throws SeccompException;
    }

    private final BackendLoader loader;
    private SeccompBackend backend;

    public SeccompCompiler(BackendLoader loader) {
        this.loader = java.util.Objects.requireNonNull(loader, "loader");
    }

    /** A compiler over the installed libseccomp, loaded through FFM on first use. */
    public static SeccompCompiler libseccomp() {
        return new SeccompCompiler(new BackendLoader() {
            @Override
            public SeccompBackend load() throws SeccompException {
                return LibSeccomp.load();
            }
        });
    }

    public synchronized SeccompFilter compile(ResolvedProfile profile) throws SeccompException {
        if (backend == null) {
            backend = loader.load();
        }
        CompiledFilter compiled = backend.compile(profile.program());
        if (!compiled.unknownSyscalls().isEmpty()) {
            // runc skips these too: the syscall does not exist on this machine as far as libseccomp knows
            System.getLogger(SeccompCompiler.class.getName()).log(System.Logger.Level.DEBUG,
                    "seccomp: libseccomp {0} does not know {1}; they get the default action",
                    backend.version(), compiled.unknownSyscalls());
        }
        // syscalls newer than the profile fail with ENOSYS, so programs fall back to older ones
        return new SeccompFilter(EnosysStub.apply(compiled, profile.program().defaultAction()), profile.flags());
    }
}
