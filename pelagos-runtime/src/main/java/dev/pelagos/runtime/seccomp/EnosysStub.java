package dev.pelagos.runtime.seccomp;

import dev.pelagos.sys.seccomp.CompiledFilter;
import dev.pelagos.sys.seccomp.SeccompActions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes syscalls newer than a profile fail with ENOSYS instead of the profile's default action.
 * A profile written before, say, {@code clone3} existed denies it with EPERM by default, and a libc
 * that sees EPERM gives up, where ENOSYS would have made it fall back to {@code clone}. So, for each
 * architecture the filter covers, a syscall numbered above every syscall the profile names there
 * returns ENOSYS; everything else runs libseccomp's program unchanged.
 *
 * <p>The check is a short classic-BPF prologue placed in front of libseccomp's exported program:
 * that program uses only relative jumps, so it works the same from any offset. x86_64 and x32 share
 * one audit architecture and tell apart by the x32 bit in the syscall number, so that architecture
 * gets a test of the bit first. A permissive default action (allow, log, trace) gets no prologue:
 * an unknown syscall already reaches the kernel, which answers ENOSYS itself.
 */
public final class EnosysStub {
    static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    /** libseccomp's made-up token for x32 ({@code SCMP_ARCH_X32}); the kernel reports x86_64 for it. */
    static final int SCMP_ARCH_X32 = 0x4000003E;
    static final int X32_SYSCALL_BIT = 0x4000_0000;
    static final int ENOSYS = 38;

    private static final int SECCOMP_DATA_NR = 0;
    private static final int SECCOMP_DATA_ARCH = 4;
    private static final short LD_W_ABS = 0x20;
    private static final short JMP_JA = 0x05;
    private static final short JMP_JEQ_K = 0x15;
    private static final short JMP_JGT_K = 0x25;
    private static final short JMP_JSET_K = 0x45;
    private static final short RET_K = 0x06;
    /** A conditional jump's offsets are one byte each. */
    private static final int MAX_SHORT_JUMP = 255;

    private EnosysStub() {
    }

    /** Whether a default action makes unknown syscalls fail in a way a libc would not retry past. */
    static boolean needed(int defaultAction) {
        int kind = defaultAction & 0xffff_0000;
        return kind != SeccompActions.ALLOW && kind != SeccompActions.LOG && kind != SeccompActions.TRACE_BASE;
    }

    /**
     * The program to install: {@code compiled}'s BPF, behind the ENOSYS prologue when the default
     * action calls for one and the rules' syscall ranges are known.
     */
    public static byte[] apply(CompiledFilter compiled, int defaultAction) {
        if (!needed(defaultAction) || compiled.highestSyscalls().isEmpty()) {
            return compiled.bpf();
        }
        byte[] stub = prologue(compiled.highestSyscalls());
        if (stub.length + compiled.bpf().length > CompiledFilter.MAX_INSTRUCTIONS * CompiledFilter.INSTRUCTION_SIZE) {
            // the kernel would refuse the longer program; the profile still works without the refinement
            return compiled.bpf();
        }
        byte[] out = new byte[stub.length + compiled.bpf().length];
        System.arraycopy(stub, 0, out, 0, stub.length);
        System.arraycopy(compiled.bpf(), 0, out, stub.length, compiled.bpf().length);
        return out;
    }

    /**
     * The prologue alone; it ends by falling through into whatever follows it.
     *
     * @param highest libseccomp architecture token to the largest syscall number the profile names there
     */
    static byte[] prologue(Map<Integer, Integer> highest) {
        // audit architecture -> its section; x86_64 and x32 share one section
        Map<Integer, int[]> sections = new TreeMap<>();
        for (Map.Entry<Integer, Integer> e : highest.entrySet()) {
            int token = e.getKey();
            if (token == SCMP_ARCH_X32) {
                sections.computeIfAbsent(AUDIT_ARCH_X86_64, a -> new int[] {-1, -1})[1] = e.getValue();
            } else {
                sections.computeIfAbsent(token, a -> new int[] {-1, -1})[0] = e.getValue();
            }
        }
        Assembler asm = new Assembler();
        asm.load(SECCOMP_DATA_ARCH);
        for (int arch : sections.keySet()) {
            asm.jumpIf(JMP_JEQ_K, arch, "arch-" + arch, null);
        }
        asm.jump("filter");
        for (Map.Entry<Integer, int[]> e : sections.entrySet()) {
            int arch = e.getKey();
            int plain = e.getValue()[0];
            int x32 = e.getValue()[1];
            asm.label("arch-" + arch);
            asm.load(SECCOMP_DATA_NR);
            if (arch == AUDIT_ARCH_X86_64) {
                // x32 numbers carry the bit, x86_64 ones do not; each is bounded by its own table
                asm.jumpIf(JMP_JSET_K, X32_SYSCALL_BIT, "x32-" + arch, null);
                boundOrPass(asm, plain);
                asm.label("x32-" + arch);
                boundOrPass(asm, x32);
            } else {
                boundOrPass(asm, plain);
            }
        }
        asm.label("enosys");
        asm.ret(SeccompActions.errno(ENOSYS));
        asm.label("filter");
        return asm.assemble();
    }

    /** Above {@code highest}: ENOSYS; otherwise (or with no bound for this ABI) on to the filter. */
    private static void boundOrPass(Assembler asm, int highest) {
        if (highest < 0) {
            asm.jump("filter");
        } else {
            asm.jumpIf(JMP_JGT_K, highest, "enosys", "filter");
        }
    }

    /** A tiny two-pass assembler: jumps name labels, resolved once every position is known. */
    private static final class Assembler {
        private record Insn(short code, String trueLabel, String falseLabel, int k) {
        }

        private final List<Insn> code = new ArrayList<>();
        private final Map<String, Integer> labels = new TreeMap<>();

        void label(String name) {
            labels.put(name, code.size());
        }

        void load(int offset) {
            code.add(new Insn(LD_W_ABS, null, null, offset));
        }

        /** A conditional jump; a null label means the next instruction. */
        void jumpIf(short op, int k, String ifTrue, String ifFalse) {
            code.add(new Insn(op, ifTrue, ifFalse, k));
        }

        void jump(String label) {
            code.add(new Insn(JMP_JA, label, null, 0));
        }

        void ret(int value) {
            code.add(new Insn(RET_K, null, null, value));
        }

        byte[] assemble() {
            ByteBuffer out = ByteBuffer.allocate(code.size() * CompiledFilter.INSTRUCTION_SIZE).order(ByteOrder.nativeOrder());
            for (int pc = 0; pc < code.size(); pc++) {
                Insn i = code.get(pc);
                int jt = 0;
                int jf = 0;
                int k = i.k();
                if (i.code() == JMP_JA) {
                    k = offset(pc, i.trueLabel());
                } else if ((i.code() & 0x07) == 0x05) {
                    jt = offset(pc, i.trueLabel());
                    jf = offset(pc, i.falseLabel());
                    if (jt > MAX_SHORT_JUMP || jf > MAX_SHORT_JUMP) {
                        throw new IllegalStateException("seccomp prologue jump too long: " + jt + "/" + jf);
                    }
                }
                out.putShort(i.code()).put((byte) jt).put((byte) jf).putInt(k);
            }
            return out.array();
        }

        /** Instructions to skip from the one after {@code pc}; jumps only go forward. */
        private int offset(int pc, String label) {
            if (label == null) {
                return 0;
            }
            Integer target = labels.get(label);
            if (target == null || target <= pc) {
                throw new IllegalStateException("seccomp prologue label " + label + " is missing or behind");
            }
            return target - pc - 1;
        }
    }
}
