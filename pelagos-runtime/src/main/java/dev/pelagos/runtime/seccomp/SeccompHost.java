package dev.pelagos.runtime.seccomp;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.sys.seccomp.LibSeccompLocator;
import java.util.Optional;

/**
 * The facts about this machine that change what a profile compiles to, read without FFM:
 * the native architecture ({@code os.arch}), the kernel release ({@code os.version}) and the
 * libseccomp version (from the name its soname link resolves to; {@code absent} when not installed).
 */
public record SeccompHost(NativeArch arch, String kernelRelease, String libseccompVersion) {

    public SeccompHost {
        java.util.Objects.requireNonNull(arch, "arch");
        java.util.Objects.requireNonNull(kernelRelease, "kernelRelease");
        java.util.Objects.requireNonNull(libseccompVersion, "libseccompVersion");
    }

    public static SeccompHost detect() throws SeccompProfileException {
        // no lambdas here: each costs a bootstrap on the start path
        String osArch = System.getProperty("os.arch", "");
        Optional<NativeArch> arch = NativeArch.fromJavaArch(osArch);
        if (arch.isEmpty()) {
            throw new SeccompProfileException(ErrorKind.UNSUPPORTED, "seccomp filters are not supported on the architecture "
                    + osArch, "run the container with --security-opt seccomp=unconfined");
        }
        Optional<LibSeccompLocator.Installed> installed = LibSeccompLocator.find();
        String version = installed.isPresent() ? installed.get().version() : "absent";
        return new SeccompHost(arch.get(), System.getProperty("os.version", "0.0"), version);
    }

    public KernelVersion kernel() {
        return KernelVersion.parse(kernelRelease);
    }
}
