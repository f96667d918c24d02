package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explicit opt-outs of DECISIONS §A1 change exactly what they name and nothing else:
 * --cap-add/--cap-drop (and for a non-root --user, added capabilities land in the ambient set),
 * --privileged (all host capabilities, no seccomp, no masks, writable /sys), seccomp=unconfined,
 * no-new-privileges=false. A failure means an option either does not take effect or silently
 * weakens something else.
 */
class SecurityOptionsIT {
    private static final String DEFAULT_CAPS = "00000000800405fb";
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
    }

    @AfterAll
    static void nothingLeft() {
        if (pelagos != null) {
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static String hex(long mask) {
        return String.format("%016x", mask);
    }

    @Test
    void capAddAddsOnlyThatCapability() {
        Pelagos.Result r = pelagos.probe(List.of("--cap-add", "NET_RAW"));
        String expected = hex(0x800405fbL | 1L << 13);
        assertThat(r.field("CapEff")).isEqualTo(expected);
        assertThat(r.field("CapBnd")).isEqualTo(expected);
        assertThat(r.field("CapInh")).isEqualTo(hex(0));
        assertThat(r.field("CapAmb")).isEqualTo(hex(0));
        assertThat(r.field("Seccomp")).isEqualTo("2");
        assertThat(r.field("NoNewPrivs")).isEqualTo("1");
    }

    @Test
    void capDropRemovesOnlyThatCapability() {
        Pelagos.Result r = pelagos.probe(List.of("--cap-drop", "chown", "--cap-drop", "CAP_KILL"));
        assertThat(r.field("CapEff")).isEqualTo(hex(0x800405fbL & ~1L & ~(1L << 5)));
    }

    @Test
    void capDropAllLeavesNothing() {
        Pelagos.Result r = pelagos.probe(List.of("--cap-drop", "ALL"));
        assertThat(r.field("CapEff")).isEqualTo(hex(0));
        assertThat(r.field("CapPrm")).isEqualTo(hex(0));
        assertThat(r.field("CapBnd")).isEqualTo(hex(0));
    }

    /** Every capability the host can give, no seccomp, no masked or read-only paths, /sys writable. */
    @Test
    void privileged() throws IOException {
        Pelagos.Result r = pelagos.probe(List.of("--privileged"));
        String hostBounding = hostStatus("CapBnd");
        assertThat(r.field("CapEff")).isEqualTo(hostBounding);
        assertThat(r.field("CapBnd")).isEqualTo(hostBounding);
        assertThat(r.field("CapInh")).isEqualTo(hex(0));
        assertThat(r.field("CapAmb")).isEqualTo(hex(0));
        assertThat(r.field("Seccomp")).isEqualTo("0");
        List<String> mounts = r.mounts();
        assertThat(DefaultsIT.mountAt(mounts, "/proc/keys")).isNull();
        assertThat(DefaultsIT.mountAt(mounts, "/proc/sys")).isNull();
        assertThat(DefaultsIT.mountOptions(DefaultsIT.mountAt(mounts, "/sys"))).startsWith("rw");
    }

    /** Only the filter goes; capabilities, no_new_privs and masks stay. */
    @Test
    void seccompUnconfined() {
        Pelagos.Result r = pelagos.probe(List.of("--security-opt", "seccomp=unconfined"));
        assertThat(r.field("Seccomp")).isEqualTo("0");
        assertThat(r.field("CapEff")).isEqualTo(DEFAULT_CAPS);
        assertThat(r.field("NoNewPrivs")).isEqualTo("1");
        assertThat(DefaultsIT.mountAt(r.mounts(), "/proc/keys")).isNotNull();
    }

    /** Only no_new_privs goes; the filter (installed while CAP_SYS_ADMIN is still held) and capabilities stay. */
    @Test
    void noNewPrivilegesFalse() {
        Pelagos.Result r = pelagos.probe(List.of("--security-opt", "no-new-privileges=false"));
        assertThat(r.field("NoNewPrivs")).isEqualTo("0");
        assertThat(r.field("Seccomp")).isEqualTo("2");
        assertThat(r.field("CapEff")).isEqualTo(DEFAULT_CAPS);
    }

    /** A non-root user has no capabilities unless added, and then only through the ambient set. */
    @Test
    void nonRootUserCapabilities() {
        Pelagos.Result plain = pelagos.probe(List.of("-u", "1000"));
        assertThat(plain.json().get("uid").getAsInt()).isEqualTo(1000);
        assertThat(plain.field("CapEff")).isEqualTo(hex(0));
        assertThat(plain.field("CapPrm")).isEqualTo(hex(0));
        assertThat(plain.field("CapAmb")).isEqualTo(hex(0));
        assertThat(plain.field("CapInh")).isEqualTo(hex(0));

        Pelagos.Result added = pelagos.probe(List.of("-u", "1000", "--cap-add", "NET_BIND_SERVICE"));
        String bind = hex(1L << 10);
        assertThat(added.field("CapEff")).isEqualTo(bind);
        assertThat(added.field("CapAmb")).isEqualTo(bind);
        assertThat(added.field("CapPrm")).isEqualTo(bind);
    }

    static String hostStatus(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + field + " in /proc/self/status");
    }
}
