package dev.pelagos.sys.seccomp;

import dev.pelagos.base.ErrorKind;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FFM binding to libseccomp: builds a filter context from a {@link FilterProgram} and exports it
 * as BPF. Loading it costs tens of milliseconds of downcall-handle set-up, so callers reach it only
 * when their filter cache misses. The filter is never loaded into this process.
 */
@SuppressWarnings("restricted")
public final class LibSeccomp implements SeccompBackend {
    private static final int SCMP_FLTATR_ACT_BADARCH = 2;
    private static final int SCMP_FLTATR_CTL_NNP = 3;
    private static final int SCMP_FLTATR_CTL_OPTIMIZE = 8;
    private static final int OPTIMIZE_BINARY_TREE = 2;
    private static final int NR_SCMP_ERROR = -1;
    private static final int EEXIST = 17;
    private static final int MFD_CLOEXEC = 1;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;
    /** {@code struct scmp_arg_cmp { unsigned int arg; enum scmp_compare op; scmp_datum_t datum_a, datum_b; }}. */
    private static final MemoryLayout ARG_CMP = MemoryLayout.structLayout(
            INT.withName("arg"), INT.withName("op"), LONG.withName("datum_a"), LONG.withName("datum_b"));
    private static final long ARG_CMP_SIZE = ARG_CMP.byteSize();

    private static final Map<Integer, String> ERRNO_NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"),
            Map.entry(14, "EFAULT"), Map.entry(EEXIST, "EEXIST"), Map.entry(22, "EINVAL"), Map.entry(33, "EDOM"),
            Map.entry(34, "ERANGE"), Map.entry(38, "ENOSYS"), Map.entry(95, "EOPNOTSUPP"), Map.entry(125, "ECANCELED"));

    private final Path library;
    private final String version;
    private final MethodHandle init;
    private final MethodHandle release;
    private final MethodHandle archAdd;
    private final MethodHandle archNative;
    private final MethodHandle archResolveName;
    private final MethodHandle syscallResolveName;
    private final MethodHandle syscallResolveNameArch;
    private final MethodHandle ruleAddArray;
    private final MethodHandle attrSet;
    private final MethodHandle exportBpf;
    private final MethodHandle memfdCreate;
    private final MethodHandle close;

    private LibSeccomp(Path library) throws SeccompException {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new SeccompException(ErrorKind.UNSUPPORTED, "cannot load " + library + ": " + e.getMessage(),
                    "reinstall libseccomp2, or run the container with --security-opt seccomp=unconfined", e);
        }
        SymbolLookup libc = linker.defaultLookup();
        init = handle(linker, lib, "seccomp_init", FunctionDescriptor.of(ADDRESS, INT));
        release = handle(linker, lib, "seccomp_release", FunctionDescriptor.ofVoid(ADDRESS));
        archAdd = handle(linker, lib, "seccomp_arch_add", FunctionDescriptor.of(INT, ADDRESS, INT));
        archNative = handle(linker, lib, "seccomp_arch_native", FunctionDescriptor.of(INT));
        archResolveName = handle(linker, lib, "seccomp_arch_resolve_name", FunctionDescriptor.of(INT, ADDRESS));
        syscallResolveName = handle(linker, lib, "seccomp_syscall_resolve_name", FunctionDescriptor.of(INT, ADDRESS));
        syscallResolveNameArch = handle(linker, lib, "seccomp_syscall_resolve_name_arch",
                FunctionDescriptor.of(INT, INT, ADDRESS));
        ruleAddArray = handle(linker, lib, "seccomp_rule_add_array",
                FunctionDescriptor.of(INT, ADDRESS, INT, INT, INT, ADDRESS));
        attrSet = handle(linker, lib, "seccomp_attr_set", FunctionDescriptor.of(INT, ADDRESS, INT, INT));
        exportBpf = handle(linker, lib, "seccomp_export_bpf", FunctionDescriptor.of(INT, ADDRESS, INT));
        memfdCreate = handle(linker, libc, "memfd_create", FunctionDescriptor.of(INT, ADDRESS, INT));
        close = handle(linker, libc, "close", FunctionDescriptor.of(INT, INT));
        MethodHandle versionHandle = handle(linker, lib, "seccomp_version", FunctionDescriptor.of(ADDRESS));
        try {
            MemorySegment v = ((MemorySegment) versionHandle.invokeExact()).reinterpret(3 * INT.byteSize());
            version = v.getAtIndex(INT, 0) + "." + v.getAtIndex(INT, 1) + "." + v.getAtIndex(INT, 2);
        } catch (Throwable t) {
            throw failure("asking libseccomp for its version", t);
        }
    }

    /** Loads the installed library that {@link LibSeccompLocator} finds. */
    public static LibSeccomp load() throws SeccompException {
        LibSeccompLocator.Installed installed = LibSeccompLocator.find().orElseThrow(() -> new SeccompException(
                ErrorKind.UNSUPPORTED, "cannot compile the seccomp profile: " + LibSeccompLocator.SONAME + " is not installed",
                "install libseccomp2 (Debian, Ubuntu) or libseccomp (Fedora, Alpine), "
                        + "or run the container with --security-opt seccomp=unconfined"));
        return load(installed.path());
    }

    public static LibSeccomp load(Path library) throws SeccompException {
        return new LibSeccomp(library);
    }

    public Path library() {
        return library;
    }

    @Override
    public String version() {
        return version;
    }

    /** The native architecture token ({@code AUDIT_ARCH_*}). */
    public int nativeArch() throws SeccompException {
        try {
            return (int) archNative.invokeExact();
        } catch (Throwable t) {
            throw failure("asking libseccomp for the native architecture", t);
        }
    }

    /** The token of a libseccomp architecture name such as {@code x86_64}, or 0 when it is unknown. */
    public int resolveArch(String name) throws SeccompException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) archResolveName.invokeExact(arena.allocateFrom(name));
        } catch (Throwable t) {
            throw failure("resolving the architecture " + name, t);
        }
    }

    /**
     * The native syscall number for a name; a negative pseudo number when the name exists only on
     * other architectures; -1 when libseccomp does not know it at all.
     */
    public int resolveSyscall(String name) throws SeccompException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscallResolveName.invokeExact(arena.allocateFrom(name));
        } catch (Throwable t) {
            throw failure("resolving the syscall " + name, t);
        }
    }

    /** The syscall number for a name on the architecture with the given token, or -1. */
    public int resolveSyscall(int archToken, String name) throws SeccompException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscallResolveNameArch.invokeExact(archToken, arena.allocateFrom(name));
        } catch (Throwable t) {
            throw failure("resolving the syscall " + name, t);
        }
    }

    @Override
    public CompiledFilter compile(FilterProgram program) throws SeccompException {
        MemorySegment ctx;
        try {
            ctx = (MemorySegment) init.invokeExact(program.defaultAction());
        } catch (Throwable t) {
            throw failure("creating a seccomp filter", t);
        }
        if (ctx.equals(MemorySegment.NULL)) {
            throw refused("libseccomp refused the default action " + SeccompActions.describe(program.defaultAction()), -22);
        }
        try (Arena arena = Arena.ofConfined()) {
            // the helper sets no_new_privs itself (or not, for OCI); the exported program does not carry it
            check(setAttribute(ctx, SCMP_FLTATR_CTL_NNP, 0), "turning off no_new_privs in the filter");
            if (program.binaryTree()) {
                // a performance hint only: libseccomp older than 2.5 lacks it and the filter means the same
                int ignored = setAttribute(ctx, SCMP_FLTATR_CTL_OPTIMIZE, OPTIMIZE_BINARY_TREE);
            }
            check(setAttribute(ctx, SCMP_FLTATR_ACT_BADARCH, program.badArchAction()),
                    "setting the bad-architecture action " + SeccompActions.describe(program.badArchAction()));
            List<Integer> archTokens = new ArrayList<>();
            archTokens.add((int) archNative.invokeExact());
            for (String arch : program.architectures()) {
                int token = addArchitecture(ctx, arch, arena);
                if (!archTokens.contains(token)) {
                    archTokens.add(token);
                }
            }
            List<String> unknown = new ArrayList<>();
            Map<Integer, Integer> highest = new HashMap<>();
            for (FilterRule rule : program.rules()) {
                int number = (int) syscallResolveName.invokeExact(arena.allocateFrom(rule.syscall()));
                if (number == NR_SCMP_ERROR) {
                    if (!unknown.contains(rule.syscall())) {
                        unknown.add(rule.syscall());
                    }
                    continue;
                }
                addRule(ctx, rule, number, arena);
                noteHighest(highest, archTokens, rule.syscall(), arena);
            }
            return new CompiledFilter(export(ctx, arena), unknown, highest);
        } catch (SeccompException e) {
            throw e;
        } catch (Throwable t) {
            throw failure("compiling a seccomp filter", t);
        } finally {
            try {
                release.invokeExact(ctx);
            } catch (Throwable t) {
                throw new IllegalStateException("seccomp_release failed", t);
            }
        }
    }

    private int setAttribute(MemorySegment ctx, int attribute, int value) throws Throwable {
        return (int) attrSet.invokeExact(ctx, attribute, value);
    }

    /**
     * Tracks, per architecture, the largest number a rule names: a syscall above it is newer than
     * the profile, which callers may want to fail with ENOSYS rather than the default action.
     * Negative answers (the name does not exist there, or is a multiplexed pseudo number) do not count.
     */
    private void noteHighest(Map<Integer, Integer> highest, List<Integer> archTokens, String syscall, Arena arena)
            throws Throwable {
        MemorySegment name = arena.allocateFrom(syscall);
        for (int token : archTokens) {
            int number = (int) syscallResolveNameArch.invokeExact(token, name);
            if (number >= 0) {
                highest.merge(token, number, Math::max);
            }
        }
    }

    private int addArchitecture(MemorySegment ctx, String arch, Arena arena) throws Throwable {
        int token = (int) archResolveName.invokeExact(arena.allocateFrom(arch));
        if (token == 0) {
            throw new SeccompException(ErrorKind.INVALID_INPUT,
                    "libseccomp " + version + " does not know the architecture " + arch,
                    "remove it from the profile's architectures, or update libseccomp");
        }
        int rc = (int) archAdd.invokeExact(ctx, token);
        if (rc < 0 && rc != -EEXIST) {
            throw refused("libseccomp refused to add the architecture " + arch, rc);
        }
        return token;
    }

    private void addRule(MemorySegment ctx, FilterRule rule, int number, Arena arena) throws Throwable {
        List<ArgCondition> conditions = rule.conditions();
        MemorySegment array = MemorySegment.NULL;
        if (!conditions.isEmpty()) {
            array = arena.allocate(ARG_CMP, conditions.size());
            for (int i = 0; i < conditions.size(); i++) {
                ArgCondition c = conditions.get(i);
                long base = i * ARG_CMP_SIZE;
                array.set(INT, base, c.index());
                array.set(INT, base + 4, c.op().code());
                array.set(LONG, base + 8, c.value());
                array.set(LONG, base + 16, c.valueTwo());
            }
        }
        int rc = (int) ruleAddArray.invokeExact(ctx, rule.action(), number, conditions.size(), array);
        if (rc < 0) {
            throw refused("libseccomp refused the rule " + SeccompActions.describe(rule.action()) + " for the syscall "
                    + rule.syscall() + (conditions.isEmpty() ? "" : " with " + conditions), rc);
        }
    }

    private byte[] export(MemorySegment ctx, Arena arena) throws Throwable {
        int fd = (int) memfdCreate.invokeExact(arena.allocateFrom("pelagos-seccomp"), MFD_CLOEXEC);
        if (fd < 0) {
            throw new SeccompException(ErrorKind.INTERNAL, "cannot create a memfd to export the seccomp filter", null);
        }
        try {
            check((int) exportBpf.invokeExact(ctx, fd), "exporting the seccomp filter as BPF");
            // reopening through /proc reads the memfd from offset 0 without another native call shape
            return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            throw new SeccompException(ErrorKind.INTERNAL, "cannot read back the exported seccomp filter: " + e.getMessage(),
                    null, e);
        } finally {
            int ignored = (int) close.invokeExact(fd);
        }
    }

    private static void check(int rc, String doing) throws SeccompException {
        if (rc < 0) {
            throw refused("libseccomp failed " + doing, rc);
        }
    }

    private static SeccompException refused(String message, int negativeErrno) {
        int errno = -negativeErrno;
        String name = ERRNO_NAMES.getOrDefault(errno, "errno " + errno);
        return new SeccompException(ErrorKind.INVALID_INPUT, message + " (" + name + ")",
                "check the profile's actions, architectures and argument conditions");
    }

    private static SeccompException failure(String doing, Throwable t) {
        return new SeccompException(ErrorKind.INTERNAL, "failed " + doing + ": " + t, null, t);
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor)
            throws SeccompException {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new SeccompException(ErrorKind.UNSUPPORTED,
                "the installed libseccomp lacks " + name, "install libseccomp 2.5 or newer"));
        return linker.downcallHandle(symbol, descriptor);
    }
}
