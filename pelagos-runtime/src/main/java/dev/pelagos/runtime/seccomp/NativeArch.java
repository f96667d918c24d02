package dev.pelagos.runtime.seccomp;

import java.util.Optional;

/**
 * The machine's architecture under the three names a profile uses: the Go name that Docker's
 * {@code includes.arches} compares with, the {@code SCMP_ARCH_*} key of {@code archMap}, and
 * libseccomp's own name.
 */
public enum NativeArch {
    X86_64("amd64", "x86_64"),
    X86("386", "x86"),
    AARCH64("arm64", "aarch64"),
    ARM("arm", "arm"),
    PPC64LE("ppc64le", "ppc64le"),
    S390X("s390x", "s390x"),
    RISCV64("riscv64", "riscv64"),
    LOONGARCH64("loong64", "loongarch64"),
    MIPSEL64("mips64le", "mipsel64");

    private final String goName;
    private final String libseccompName;

    NativeArch(String goName, String libseccompName) {
        this.goName = goName;
        this.libseccompName = libseccompName;
    }

    public String goName() {
        return goName;
    }

    public String libseccompName() {
        return libseccompName;
    }

    /** The {@code archMap} key, e.g. {@code SCMP_ARCH_X86_64}. */
    public String profileName() {
        return "SCMP_ARCH_" + libseccompName.toUpperCase(java.util.Locale.ROOT);
    }

    /** From the JVM's {@code os.arch}. */
    public static Optional<NativeArch> fromJavaArch(String osArch) {
        return Optional.ofNullable(switch (osArch) {
            case "amd64", "x86_64" -> X86_64;
            case "x86", "i386", "i486", "i586", "i686" -> X86;
            case "aarch64", "arm64" -> AARCH64;
            case "arm" -> ARM;
            case "ppc64le" -> PPC64LE;
            case "s390x" -> S390X;
            case "riscv64" -> RISCV64;
            case "loongarch64" -> LOONGARCH64;
            case "mips64el" -> MIPSEL64;
            default -> null;
        });
    }
}
