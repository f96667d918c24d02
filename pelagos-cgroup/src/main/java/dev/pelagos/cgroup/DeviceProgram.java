package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroup v2 form of device rules: an eBPF program of type {@code BPF_PROG_TYPE_CGROUP_DEVICE},
 * which the kernel runs on every open and mknod of a device by a process in the cgroup (v2 has no
 * devices controller files). It is compiled from the same {@link DeviceFilter} the v1 controller is
 * brought to, so both kinds of host enforce the same rules with the same semantics.
 *
 * <p>The kernel hands the program {@code struct bpf_cgroup_dev_ctx}: {@code access_type} (access
 * bits in the high 16 bits — mknod 1, read 2, write 4 — and the device type in the low: block 1,
 * char 2), {@code major}, {@code minor}. The program returns 1 to allow, 0 to deny. Every
 * exception in a filter goes against its default, so the exceptions are independent checks: in a
 * deny-by-default filter a request is allowed when one allow exception covers all its access
 * bits; in an allow-by-default filter it is denied when a deny exception shares any access bit
 * with it (the v1 kernel's partial match).
 */
public final class DeviceProgram {
    /** {@code BPF_DEVCG_ACC_*}. */
    static final int ACC_MKNOD = 1;
    static final int ACC_READ = 2;
    static final int ACC_WRITE = 4;
    /** {@code BPF_DEVCG_DEV_*}. */
    static final int DEV_BLOCK = 1;
    static final int DEV_CHAR = 2;

    // the few eBPF opcodes the program uses (linux/bpf_common.h, linux/bpf.h)
    private static final int LDX_MEM_W = 0x61;   // dst = *(u32 *)(src + off)
    private static final int ALU32_MOV_X = 0xbc;  // dst = (u32) src
    private static final int ALU32_AND_K = 0x54;  // dst = (u32) (dst & imm)
    private static final int ALU32_RSH_K = 0x74;  // dst = (u32) (dst >> imm)
    private static final int ALU64_MOV_K = 0xb7;  // dst = imm
    private static final int JMP_JNE_K = 0x55;    // if dst != imm: pc += off
    private static final int JMP_JEQ_K = 0x15;    // if dst == imm: pc += off
    private static final int EXIT = 0x95;

    // registers: r1 holds the context on entry; the request is unpacked into r2..r5
    private static final int R0 = 0;
    private static final int R1 = 1;
    private static final int ACCESS = 2;
    private static final int TYPE = 3;
    private static final int MAJOR = 4;
    private static final int MINOR = 5;

    private final byte[] instructions;

    private DeviceProgram(byte[] instructions) {
        this.instructions = instructions;
    }

    /** Compiles the state the rules build, applied in order to a deny-everything start. */
    public static DeviceProgram of(List<DeviceRule> rules) throws PelagosException {
        return compile(DeviceFilter.of(rules));
    }

    /** Compiles a filter. */
    public static DeviceProgram compile(DeviceFilter filter) {
        List<long[]> out = new ArrayList<>();
        out.add(insn(LDX_MEM_W, ACCESS, R1, 0, 0));
        out.add(insn(ALU32_MOV_X, TYPE, ACCESS, 0, 0));
        out.add(insn(ALU32_AND_K, TYPE, 0, 0, 0xffff));
        out.add(insn(ALU32_RSH_K, ACCESS, 0, 0, 16));
        out.add(insn(LDX_MEM_W, MAJOR, R1, 4, 0));
        out.add(insn(LDX_MEM_W, MINOR, R1, 8, 0));
        boolean allowByDefault = filter.defaultAllow();
        for (DeviceRule exception : filter.exceptions()) {
            out.addAll(check(exception));
        }
        out.add(insn(ALU64_MOV_K, R0, 0, 0, allowByDefault ? 1 : 0));
        out.add(insn(EXIT, 0, 0, 0, 0));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.size() * 8);
        for (long[] i : out) {
            bytes.writeBytes(encode(i));
        }
        return new DeviceProgram(bytes.toByteArray());
    }

    /**
     * One exception: a run of conditional jumps past its end when the request does not match, then
     * "return the exception's verdict".
     */
    private static List<long[]> check(DeviceRule exception) {
        List<long[]> tests = new ArrayList<>();
        tests.add(insn(JMP_JNE_K, TYPE, 0, 0, exception.type() == 'b' ? DEV_BLOCK : DEV_CHAR));
        int bits = accessBits(exception.access());
        if (exception.allow()) {
            if (bits != (ACC_MKNOD | ACC_READ | ACC_WRITE)) {
                // allowed only if the request asks for nothing outside the exception's access
                tests.add(insn(ALU32_MOV_X, R1, ACCESS, 0, 0));
                tests.add(insn(ALU32_AND_K, R1, 0, 0, ~bits & 7));
                tests.add(insn(JMP_JNE_K, R1, 0, 0, 0));
            }
        } else {
            // denied if the request asks for any of the exception's access
            tests.add(insn(ALU32_MOV_X, R1, ACCESS, 0, 0));
            tests.add(insn(ALU32_AND_K, R1, 0, 0, bits));
            tests.add(insn(JMP_JEQ_K, R1, 0, 0, 0));
        }
        if (exception.major() != DeviceRule.ANY) {
            tests.add(insn(JMP_JNE_K, MAJOR, 0, 0, (int) exception.major()));
        }
        if (exception.minor() != DeviceRule.ANY) {
            tests.add(insn(JMP_JNE_K, MINOR, 0, 0, (int) exception.minor()));
        }
        List<long[]> block = new ArrayList<>(tests);
        block.add(insn(ALU64_MOV_K, R0, 0, 0, exception.allow() ? 1 : 0));
        block.add(insn(EXIT, 0, 0, 0, 0));
        // each jump lands just after this block's exit
        for (int i = 0; i < tests.size(); i++) {
            long[] t = tests.get(i);
            if (t[0] == JMP_JNE_K || t[0] == JMP_JEQ_K) {
                t[3] = block.size() - i - 1;
            }
        }
        return block;
    }

    static int accessBits(String access) {
        int bits = 0;
        for (char c : access.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> ACC_READ;
                case 'w' -> ACC_WRITE;
                case 'm' -> ACC_MKNOD;
                default -> throw new IllegalArgumentException("access letter " + c);
            };
        }
        return bits;
    }

    private static long[] insn(int code, int dst, int src, int off, int imm) {
        return new long[] {code, dst, src, off, imm};
    }

    /** struct bpf_insn: u8 code, u8 dst_reg:4 src_reg:4, s16 off, s32 imm; little-endian (x86-64, arm64). */
    private static byte[] encode(long[] i) {
        int off = (int) i[3];
        int imm = (int) i[4];
        return new byte[] {(byte) i[0], (byte) ((i[2] << 4) | i[1]), (byte) off, (byte) (off >> 8),
            (byte) imm, (byte) (imm >> 8), (byte) (imm >> 16), (byte) (imm >> 24)};
    }

    /** The instructions, 8 bytes each, as {@code BPF_PROG_LOAD} takes them. */
    public byte[] instructions() {
        return instructions.clone();
    }

    /** How many instructions. */
    public int length() {
        return instructions.length / 8;
    }
}
