package dev.pelagos.runtime.seccomp;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The entry point: the seccomp filter for a container, from the cache when it can be. A cache hit
 * for the built-in profile builds its key from a few strings and reads one small file: it parses no
 * JSON, loads no Gson, makes no FFM call and starts no JCA provider (a profile file is hashed with
 * SHA-256). A miss parses and resolves the profile, compiles it with libseccomp and stores the result.
 */
public final class SeccompFilters {
    private final SeccompFilterCache cache;
    private final SeccompHost host;
    private final SeccompCompiler compiler;

    public SeccompFilters(Path cacheDir, SeccompHost host, SeccompCompiler compiler) {
        this.cache = new SeccompFilterCache(cacheDir);
        this.host = java.util.Objects.requireNonNull(host, "host");
        this.compiler = java.util.Objects.requireNonNull(compiler, "compiler");
    }

    /**
     * The BPF program for a container, empty when unconfined.
     *
     * @param capMask the container's capabilities (bounding = effective), bit n = capability n
     * @param cacheDir where compiled filters are kept, e.g. {@code PelagosPaths.seccompCache()}
     */
    public static Optional<byte[]> forContainer(SeccompChoice choice, long capMask, Path cacheDir) throws PelagosException {
        Optional<SeccompFilter> filter = prepare(choice, capMask, cacheDir);
        return filter.isPresent() ? Optional.of(filter.get().bpf()) : Optional.empty();
    }

    /** Like {@link #forContainer} but with the seccomp(2) flags an OCI profile may ask for. */
    public static Optional<SeccompFilter> prepare(SeccompChoice choice, long capMask, Path cacheDir) throws PelagosException {
        if (choice instanceof SeccompChoice.Unconfined) {
            return Optional.empty();
        }
        return new SeccompFilters(cacheDir, SeccompHost.detect(), SeccompCompiler.libseccomp()).filterFor(choice, capMask);
    }

    public Optional<SeccompFilter> filterFor(SeccompChoice choice, long capMask) throws PelagosException {
        if (choice instanceof SeccompChoice.Unconfined) {
            return Optional.empty();
        }
        // instanceof rather than a pattern switch: no SwitchBootstraps on the start path
        String identity;
        byte[] fileBytes = null;
        if (choice instanceof SeccompChoice.Builtin) {
            identity = BuiltinProfile.IDENTITY;
        } else if (choice instanceof SeccompChoice.ProfileFile file) {
            fileBytes = readProfile(file.path());
            identity = "file-".concat(SeccompFilterCache.sha256Hex(fileBytes));
        } else if (choice instanceof SeccompChoice.InMemory memory) {
            identity = "object-" + SeccompFilterCache.sha256Hex(
                    SeccompProfileParser.canonicalJson(memory.profile()).getBytes(StandardCharsets.UTF_8));
        } else {
            throw new IllegalArgumentException("unknown seccomp choice " + choice);
        }
        String key = SeccompFilterCache.key(identity, capMask, host);
        Optional<SeccompFilter> cached = cache.read(key);
        if (cached.isPresent()) {
            return cached;
        }
        SeccompFilter compiled = compile(choice, fileBytes, capMask);
        try {
            cache.write(key, compiled);
        } catch (IOException e) {
            // a read-only or foreign-owned cache only costs the next start a compile
            System.getLogger(SeccompFilters.class.getName()).log(System.Logger.Level.WARNING,
                    "seccomp: cannot cache the compiled filter in {0}: {1}",
                    cache.directory(), e.getMessage());
        }
        return Optional.of(compiled);
    }

    /** Resolves a profile for this host without compiling it (for inspection and tests). */
    public ResolvedProfile resolve(SeccompProfile profile, String source, long capMask) throws SeccompProfileException {
        return SeccompResolver.resolve(profile, source, capMask, host.arch(), kernelOf(host));
    }

    private SeccompFilter compile(SeccompChoice choice, byte[] fileBytes, long capMask) throws PelagosException {
        SeccompProfile profile;
        String source;
        if (choice instanceof SeccompChoice.Builtin) {
            source = BuiltinProfile.SOURCE;
            profile = SeccompProfileParser.parse(BuiltinProfile.bytes(), source);
        } else if (choice instanceof SeccompChoice.ProfileFile file) {
            source = file.path().toString();
            profile = SeccompProfileParser.parse(fileBytes, source);
        } else {
            source = "(linux.seccomp)";
            profile = ((SeccompChoice.InMemory) choice).profile();
        }
        return compiler.compile(resolve(profile, source, capMask));
    }

    private static KernelVersion kernelOf(SeccompHost host) throws SeccompProfileException {
        try {
            return host.kernel();
        } catch (IllegalArgumentException e) {
            throw new SeccompProfileException(ErrorKind.UNSUPPORTED, "cannot read the kernel version "
                    + host.kernelRelease() + " to evaluate the seccomp profile", "report this as a bug", e);
        }
    }

    private static byte[] readProfile(Path path) throws PelagosException {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new SeccompProfileException(ErrorKind.NOT_FOUND, "seccomp profile " + path + " does not exist",
                    "give the path of a Docker/OCI seccomp JSON file, or seccomp=unconfined");
        } catch (IOException e) {
            throw new SeccompProfileException(ErrorKind.INVALID_INPUT, "cannot read seccomp profile " + path + ": "
                    + e.getMessage(), "check the file's path and permissions", e);
        }
    }
}
