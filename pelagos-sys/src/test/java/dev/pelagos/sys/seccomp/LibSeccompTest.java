package dev.pelagos.sys.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exercises the real library; skipped with the reason where libseccomp is not installed. */
class LibSeccompTest {
    private static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    private static final short BPF_RET_K = 0x06;
    private static LibSeccomp lib;

    @BeforeAll
    static void load() throws Exception {
        Assumptions.assumeTrue(LibSeccompLocator.find().isPresent(), "libseccomp.so.2 is not installed here");
        lib = LibSeccomp.load();
    }

    @Test
    void versionAgreesWithTheLocatorWithoutFfm() {
        assertThat(lib.version()).isEqualTo(LibSeccompLocator.find().orElseThrow().version());
    }

    @Test
    void resolvesNamesAndArchitectures() throws Exception {
        Assumptions.assumeTrue(lib.nativeArch() == AUDIT_ARCH_X86_64, "the numbers below are x86_64's");
        assertThat(lib.resolveSyscall("getpid")).isEqualTo(39);
        assertThat(lib.resolveSyscall("no_such_syscall")).isEqualTo(-1);
        assertThat(lib.resolveSyscall("socketcall")).isLessThan(-1);
        assertThat(lib.resolveArch("x86_64")).isEqualTo(AUDIT_ARCH_X86_64);
        assertThat(lib.resolveArch("aarch64")).isEqualTo(0xC00000B7);
        assertThat(lib.resolveArch("no-such-arch")).isZero();
        assertThat(lib.resolveSyscall(lib.resolveArch("aarch64"), "getpid")).isEqualTo(172);
    }

    @Test
    void compilesAProgramToWholeInstructionsEndingInReturns() throws Exception {
        FilterProgram program = new FilterProgram(SeccompActions.errno(1), SeccompActions.KILL_PROCESS, List.of("x86"),
                List.of(FilterRule.unconditional("getpid", SeccompActions.ALLOW),
                        new FilterRule("personality", SeccompActions.ALLOW, List.of(new ArgCondition(0, CompareOp.EQ, 8, 0))),
                        FilterRule.unconditional("not_a_real_syscall", SeccompActions.ALLOW)), true);

        CompiledFilter filter = lib.compile(program);

        assertThat(filter.unknownSyscalls()).containsExactly("not_a_real_syscall");
        assertThat(filter.instructionCount()).isGreaterThan(5);
        ByteBuffer last = ByteBuffer.wrap(filter.bpf(), filter.bpf().length - 8, 8).order(ByteOrder.nativeOrder());
        assertThat(last.getShort()).isEqualTo(BPF_RET_K);
    }

    @Test
    void anUnknownArchitectureIsAClearError() {
        FilterProgram program = new FilterProgram(SeccompActions.ALLOW, SeccompActions.KILL_PROCESS, List.of("vax"), List.of(), false);
        assertThatThrownBy(() -> lib.compile(program)).isInstanceOf(SeccompException.class)
                .hasMessageContaining("does not know the architecture vax");
    }

    @Test
    void aRuleWithTheDefaultActionIsRefusedWithTheSyscallNamed() {
        FilterProgram program = new FilterProgram(SeccompActions.ALLOW, SeccompActions.KILL_PROCESS, List.of(),
                List.of(FilterRule.unconditional("getpid", SeccompActions.ALLOW)), false);
        assertThatThrownBy(() -> lib.compile(program)).isInstanceOf(SeccompException.class)
                .hasMessageContaining("getpid");
    }

    @Test
    void actionEncodingMatchesTheKernel() {
        assertThat(SeccompActions.errno(38)).isEqualTo(0x00050026);
        assertThat(SeccompActions.describe(SeccompActions.errno(1))).isEqualTo("ERRNO(1)");
        assertThatThrownBy(() -> SeccompActions.errno(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArgCondition(6, CompareOp.EQ, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
