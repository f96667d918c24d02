package dev.pelagos.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.sys.seccomp.CompiledFilter;
import dev.pelagos.sys.seccomp.SeccompActions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ENOSYS prologue on its own, in front of a one-instruction "program" that returns EPERM. */
class EnosysStubTest {
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;
    private static final int X32 = EnosysStub.X32_SYSCALL_BIT;
    private static final int EPERM = SeccompActions.errno(1);

    private static byte[] returnEperm() {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort((short) 0x06).put((byte) 0).put((byte) 0)
                .putInt(EPERM).array();
    }

    private static BpfInterpreter patched(Map<Integer, Integer> highest, int defaultAction) {
        return new BpfInterpreter(EnosysStub.apply(new CompiledFilter(returnEperm(), List.of(), highest), defaultAction));
    }

    private static String run(BpfInterpreter filter, int nr, int arch) {
        return SeccompActions.describe(filter.run(nr, arch));
    }

    @Test
    void aboveTheHighestNamedSyscallIsEnosysAndTheRestReachTheFilter() {
        BpfInterpreter f = patched(Map.of(EnosysStub.AUDIT_ARCH_X86_64, 334), EPERM);
        assertThat(run(f, 335, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(38)");
        assertThat(run(f, 1000, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(38)");
        assertThat(run(f, 334, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(1)");
        assertThat(run(f, 0, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(1)");
        // an architecture without a bound is left entirely to the filter (its bad-arch action)
        assertThat(run(f, 1000, AUDIT_ARCH_AARCH64)).isEqualTo("ERRNO(1)");
        // x32 is not in this filter: its numbers are not judged by x86_64's bound
        assertThat(run(f, 1000 | X32, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(1)");
    }

    @Test
    void x86_64AndX32AreToldApartByTheX32Bit() {
        BpfInterpreter f = patched(Map.of(EnosysStub.AUDIT_ARCH_X86_64, 334, EnosysStub.SCMP_ARCH_X32, X32 | 547,
                AUDIT_ARCH_I386, 450), EPERM);
        assertThat(run(f, 500, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(38)");
        assertThat(run(f, X32 | 500, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(1)");
        assertThat(run(f, X32 | 548, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(38)");
        assertThat(run(f, 450, AUDIT_ARCH_I386)).isEqualTo("ERRNO(1)");
        assertThat(run(f, 451, AUDIT_ARCH_I386)).isEqualTo("ERRNO(38)");
    }

    @Test
    void onlyX32Bounded() {
        BpfInterpreter f = patched(Map.of(EnosysStub.SCMP_ARCH_X32, X32 | 547), EPERM);
        assertThat(run(f, 1000, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(1)");
        assertThat(run(f, X32 | 1000, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(38)");
    }

    @Test
    void killAndTrapDefaultsGetThePrologue() {
        for (int action : new int[] {SeccompActions.KILL_PROCESS, SeccompActions.KILL_THREAD, SeccompActions.TRAP}) {
            BpfInterpreter f = patched(Map.of(EnosysStub.AUDIT_ARCH_X86_64, 10), action);
            assertThat(run(f, 11, EnosysStub.AUDIT_ARCH_X86_64)).isEqualTo("ERRNO(38)");
        }
    }

    @Test
    void permissiveDefaultsAndUnknownRangesAreLeftAlone() {
        byte[] program = returnEperm();
        for (int action : new int[] {SeccompActions.ALLOW, SeccompActions.LOG, SeccompActions.trace(1)}) {
            assertThat(EnosysStub.apply(new CompiledFilter(program, List.of(), Map.of(EnosysStub.AUDIT_ARCH_X86_64, 10)), action))
                    .isSameAs(program);
        }
        assertThat(EnosysStub.apply(new CompiledFilter(program, List.of()), EPERM)).isSameAs(program);
    }

    @Test
    void theFilterFollowsThePrologueUnchanged() {
        byte[] program = returnEperm();
        byte[] out = EnosysStub.apply(new CompiledFilter(program, List.of(), Map.of(EnosysStub.AUDIT_ARCH_X86_64, 10)), EPERM);
        assertThat(out.length % 8).isZero();
        assertThat(java.util.Arrays.copyOfRange(out, out.length - program.length, out.length)).isEqualTo(program);
    }
}
