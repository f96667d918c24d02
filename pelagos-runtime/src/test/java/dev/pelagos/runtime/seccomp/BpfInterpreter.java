package dev.pelagos.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a classic BPF seccomp program the way the kernel does, over a {@code struct seccomp_data}
 * (nr at 0, arch at 4, instruction_pointer at 8, args at 16 + 8*i), so tests can check the real
 * compiled bytes without installing them.
 */
final class BpfInterpreter {
    private static final int SECCOMP_DATA_SIZE = 64;
    private static final int MEMORY_WORDS = 16;

    private final ByteBuffer program;
    private final int length;
    private int lastSteps;

    BpfInterpreter(byte[] bpf) {
        this.program = ByteBuffer.wrap(bpf).order(ByteOrder.nativeOrder());
        this.length = bpf.length / 8;
    }

    /** The filter's return value for one syscall. */
    int run(int nr, int arch, long... args) {
        ByteBuffer data = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.nativeOrder());
        data.putInt(0, nr).putInt(4, arch).putLong(8, 0x401000L);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int a = 0;
        int x = 0;
        int[] memory = new int[MEMORY_WORDS];
        int pc = 0;
        lastSteps = 0;
        while (pc < length) {
            lastSteps++;
            int base = pc * 8;
            int code = program.getShort(base) & 0xffff;
            int jt = program.get(base + 2) & 0xff;
            int jf = program.get(base + 3) & 0xff;
            int k = program.getInt(base + 4);
            pc++;
            switch (code & 0x07) {
                case 0x00 -> a = switch (code & 0xe0) { // LD
                    case 0x00 -> k;
                    case 0x20 -> loadWord(data, k, code);
                    case 0x60 -> memory[k];
                    case 0x80 -> SECCOMP_DATA_SIZE;
                    default -> throw new IllegalStateException("unsupported load mode 0x" + Integer.toHexString(code));
                };
                case 0x01 -> x = switch (code & 0xe0) { // LDX
                    case 0x00 -> k;
                    case 0x60 -> memory[k];
                    case 0x80 -> SECCOMP_DATA_SIZE;
                    default -> throw new IllegalStateException("unsupported ldx mode 0x" + Integer.toHexString(code));
                };
                case 0x02 -> memory[k] = a; // ST
                case 0x03 -> memory[k] = x; // STX
                case 0x04 -> a = alu(code, a, (code & 0x08) != 0 ? x : k); // ALU
                case 0x05 -> { // JMP
                    int operand = (code & 0x08) != 0 ? x : k;
                    int op = code & 0xf0;
                    if (op == 0x00) {
                        pc += k;
                    } else {
                        boolean taken = switch (op) {
                            case 0x10 -> a == operand;
                            case 0x20 -> Integer.compareUnsigned(a, operand) > 0;
                            case 0x30 -> Integer.compareUnsigned(a, operand) >= 0;
                            case 0x40 -> (a & operand) != 0;
                            default -> throw new IllegalStateException("unsupported jump 0x" + Integer.toHexString(code));
                        };
                        pc += taken ? jt : jf;
                    }
                }
                case 0x06 -> { // RET
                    return switch (code & 0x18) {
                        case 0x00 -> k;
                        case 0x10 -> a;
                        default -> throw new IllegalStateException("unsupported ret 0x" + Integer.toHexString(code));
                    };
                }
                case 0x07 -> { // MISC
                    if ((code & 0xf8) == 0x00) {
                        x = a;
                    } else {
                        a = x;
                    }
                }
                default -> throw new IllegalStateException("unreachable");
            }
        }
        throw new IllegalStateException("the program ran off its end without returning");
    }

    /** How many instructions the last {@link #run} executed: the per-syscall cost in the kernel. */
    int lastSteps() {
        return lastSteps;
    }

    private static int loadWord(ByteBuffer data, int offset, int code) {
        if ((code & 0x18) != 0x00 || offset < 0 || offset > SECCOMP_DATA_SIZE - 4 || offset % 4 != 0) {
            throw new IllegalStateException("seccomp allows only aligned 32-bit loads inside seccomp_data, got offset " + offset);
        }
        return data.getInt(offset);
    }

    private static int alu(int code, int a, int operand) {
        return switch (code & 0xf0) {
            case 0x00 -> a + operand;
            case 0x10 -> a - operand;
            case 0x20 -> a * operand;
            case 0x30 -> Integer.divideUnsigned(a, operand);
            case 0x40 -> a | operand;
            case 0x50 -> a & operand;
            case 0x60 -> a << operand;
            case 0x70 -> a >>> operand;
            case 0x80 -> -a;
            case 0x90 -> Integer.remainderUnsigned(a, operand);
            case 0xa0 -> a ^ operand;
            default -> throw new IllegalStateException("unsupported alu 0x" + Integer.toHexString(code));
        };
    }
}
