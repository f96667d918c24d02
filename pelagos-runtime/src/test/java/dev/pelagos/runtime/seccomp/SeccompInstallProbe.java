package dev.pelagos.runtime.seccomp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link SeccompKernelTest}: installs a BPF file on its main thread the way
 * the helper does (no_new_privs, then PR_SET_SECCOMP) and makes a few raw x86_64 syscalls, printing
 * {@code name=result/errno} for each. Test-only FFM: production code does this in the C helper.
 */
@SuppressWarnings("restricted")
public final class SeccompInstallProbe {
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_SET_SECCOMP = 22;
    private static final int SECCOMP_MODE_FILTER = 2;

    private SeccompInstallProbe() {
    }

    public static void main(String[] args) throws Throwable {
        byte[] bpf = Files.readAllBytes(Path.of(args[0]));
        Linker linker = Linker.nativeLinker();
        StructLayout callState = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().findOrThrow("prctl"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
        MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().findOrThrow("syscall"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = arena.allocate(bpf.length, 8);
            program.copyFrom(MemorySegment.ofArray(bpf));
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(ValueLayout.JAVA_SHORT, 0, (short) (bpf.length / 8));
            fprog.set(ValueLayout.ADDRESS, 8, program);
            int nnp = (int) prctl.invokeExact(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
            int installed = (int) prctl.invokeExact(PR_SET_SECCOMP, (long) SECCOMP_MODE_FILTER, fprog.address(), 0L, 0L);
            System.out.println("install=" + nnp + "," + installed);
            MemorySegment state = arena.allocate(callState);
            String[] names = {"getpid", "unshare", "mount", "clone3", "keyctl", "personality_query", "personality_bad",
                "socket_vsock", "socket_inet"};
            long[][] calls = {{39, 0, 0, 0}, {272, 0x10000000L, 0, 0}, {165, 0, 0, 0}, {435, 0, 0, 0}, {250, 0, 0, 0},
                {135, 0xffffffffL, 0, 0}, {135, 0x1234, 0, 0}, {41, 40, 1, 0}, {41, 2, 1, 0}};
            for (int i = 0; i < names.length; i++) {
                long[] c = calls[i];
                long result = (long) syscall.invokeExact(state, c[0], c[1], c[2], c[3]);
                int errno = (int) errnoHandle.get(state, 0L);
                System.out.println(names[i] + "=" + (result < 0 ? "-1/" + errno : "ok"));
            }
        }
    }
}
