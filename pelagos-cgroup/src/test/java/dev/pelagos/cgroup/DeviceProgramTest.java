package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compiled device programs, run through a small interpreter of the instructions they use (the
 * kernel runs them for real in DeviceProgramIT and in the cgroup v2 VM).
 */
class DeviceProgramTest {
    private static final char[] TYPES = {'c', 'b'};

    private static DeviceRule allow(char type, long major, long minor, String access) {
        return new DeviceRule(true, type, major, minor, access);
    }

    private static DeviceRule deny(char type, long major, long minor, String access) {
        return new DeviceRule(false, type, major, minor, access);
    }

    @Test
    void dockersDefaultsLetTheUsualDevicesThroughAndNothingElse() throws Exception {
        DeviceProgram p = DeviceProgram.of(List.of(deny('a', -1, -1, "rwm"), allow('c', 1, 3, "rwm"), allow('c', 1, 5, "rwm"),
                allow('c', 136, -1, "rwm"), deny('c', 10, 229, "rwm"), allow('c', -1, -1, "m"), allow('b', -1, -1, "m")));
        assertThat(run(p, 'c', 1, 3, "rw")).isTrue();
        assertThat(run(p, 'c', 1, 5, "r")).isTrue();
        assertThat(run(p, 'c', 136, 7, "rw")).isTrue();
        assertThat(run(p, 'b', 8, 0, "m")).as("mknod of any block device").isTrue();
        assertThat(run(p, 'b', 8, 0, "r")).as("reading a disk").isFalse();
        assertThat(run(p, 'c', 1, 1, "r")).as("/dev/mem").isFalse();
        assertThat(run(p, 'c', 10, 229, "rw")).as("fuse").isFalse();
        assertThat(run(p, 'c', 1, 4, "rw")).isFalse();
        assertThat(run(p, 'b', 1, 3, "rw")).as("a block device with null's numbers").isFalse();
    }

    @Test
    void accessMustBeCoveredWholly() throws Exception {
        DeviceProgram p = DeviceProgram.of(List.of(allow('c', 1, 3, "r")));
        assertThat(run(p, 'c', 1, 3, "r")).isTrue();
        assertThat(run(p, 'c', 1, 3, "rw")).isFalse();
        assertThat(run(p, 'c', 1, 3, "w")).isFalse();
    }

    @Test
    void allowAllWithDenialsDeniesAnyOverlap() throws Exception {
        DeviceProgram p = DeviceProgram.of(List.of(allow('a', -1, -1, "rwm"), deny('c', 1, 3, "w"), deny('b', 8, -1, "rwm")));
        assertThat(run(p, 'c', 1, 3, "r")).isTrue();
        assertThat(run(p, 'c', 1, 3, "rw")).isFalse();
        assertThat(run(p, 'b', 8, 16, "r")).isFalse();
        assertThat(run(p, 'b', 9, 0, "rw")).isTrue();
        assertThat(run(p, 'c', 10, 200, "rwm")).isTrue();
    }

    @Test
    void anEmptyRuleListDeniesEverything() throws Exception {
        DeviceProgram p = DeviceProgram.of(List.of());
        assertThat(p.length()).isEqualTo(8);
        for (char t : TYPES) {
            assertThat(run(p, t, 1, 3, "r")).isFalse();
        }
    }

    /** Random rule lists: the program decides every request as the filter it was compiled from. */
    @Test
    void programsDecideAsTheirFilters() throws Exception {
        Random random = new Random(20261130);
        int compared = 0;
        for (int round = 0; round < 400; round++) {
            List<DeviceRule> rules = new ArrayList<>();
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                boolean wildcardType = random.nextInt(10) == 0;
                rules.add(new DeviceRule(random.nextBoolean(), wildcardType ? 'a' : TYPES[random.nextInt(2)],
                        number(random), number(random), access(random)));
            }
            DeviceFilter filter;
            try {
                filter = DeviceFilter.of(rules);
            } catch (dev.pelagos.base.PelagosException e) {
                continue; // a rule list the v1 controller cannot express either
            }
            DeviceProgram p = DeviceProgram.compile(filter);
            for (char t : TYPES) {
                for (long major = 0; major < 4; major++) {
                    for (long minor = 0; minor < 4; minor++) {
                        for (String a : List.of("r", "w", "m", "rw", "rwm")) {
                            assertThat(run(p, t, major, minor, a)).as("%s on %c %d:%d %s", rules, t, major, minor, a)
                                    .isEqualTo(permits(filter, t, major, minor, a));
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(20_000);
    }

    private static long number(Random random) {
        return random.nextInt(4) == 0 ? -1 : random.nextInt(4);
    }

    private static String access(Random random) {
        String[] all = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
        return all[random.nextInt(all.length)];
    }

    /** The v1 kernel's decision, from the filter's default and exceptions. */
    private static boolean permits(DeviceFilter f, char type, long major, long minor, String access) {
        int want = DeviceProgram.accessBits(access);
        for (DeviceRule e : f.exceptions()) {
            boolean matches = e.type() == type && (e.major() == -1 || e.major() == major) && (e.minor() == -1 || e.minor() == minor);
            if (!matches) {
                continue;
            }
            int has = DeviceProgram.accessBits(e.access());
            if (f.defaultAllow() && (has & want) != 0) {
                return false;
            }
            if (!f.defaultAllow() && (want & ~has) == 0) {
                return true;
            }
        }
        return f.defaultAllow();
    }

    /** Runs the program on one request: just the instructions DeviceProgram emits. */
    private static boolean run(DeviceProgram p, char type, long major, long minor, String access) {
        byte[] code = p.instructions();
        long[] ctx = {((long) DeviceProgram.accessBits(access) << 16) | (type == 'b' ? DeviceProgram.DEV_BLOCK : DeviceProgram.DEV_CHAR),
            major, minor};
        long[] r = new long[11];
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            int at = pc * 8;
            int op = code[at] & 0xff;
            int dst = code[at + 1] & 0x0f;
            int src = (code[at + 1] >> 4) & 0x0f;
            int off = (short) ((code[at + 2] & 0xff) | (code[at + 3] << 8));
            int imm = (code[at + 4] & 0xff) | (code[at + 5] & 0xff) << 8 | (code[at + 6] & 0xff) << 16 | code[at + 7] << 24;
            pc++;
            switch (op) {
                case 0x61 -> {
                    assertThat(src).as("loads only from the context in r1").isEqualTo(1);
                    r[dst] = ctx[off / 4] & 0xffffffffL;
                }
                case 0xbc -> r[dst] = r[src] & 0xffffffffL;
                case 0x54 -> r[dst] = (r[dst] & imm) & 0xffffffffL;
                case 0x74 -> r[dst] = (r[dst] & 0xffffffffL) >>> imm;
                case 0xb7 -> r[dst] = imm;
                case 0x55 -> pc += r[dst] != imm ? off : 0;
                case 0x15 -> pc += r[dst] == imm ? off : 0;
                case 0x95 -> {
                    return r[0] == 1;
                }
                default -> throw new AssertionError("unexpected opcode 0x" + Integer.toHexString(op) + " at " + (pc - 1));
            }
        }
        throw new AssertionError("the program did not end");
    }
}
