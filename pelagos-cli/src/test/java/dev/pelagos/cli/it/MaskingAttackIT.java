package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack (CVE-2025-31133): the image ships its own /dev/null (a symlink to core_pattern) and
 * /dev/zero, or the user binds a file over /dev/null, hoping masking will bind the wrong file over
 * the masked paths or be skipped. Masking must use the container's fresh, verified char 1:3
 * /dev/null: masked files read empty, /proc/sys stays read-only, the host's core_pattern is
 * unchanged — or the run is refused. A failure means a writable kernel upcall or an unmasked
 * kernel file inside the container.
 */
class MaskingAttackIT {
    @TempDir
    Path tmp;
    private Pelagos pelagos;

    @BeforeEach
    void setUp() {
        pelagos = new Pelagos(tmp);
    }

    @AfterEach
    void nothingLeft() {
        assertThat(pelagos.leftovers()).isEmpty();
    }

    @Test
    void imagesOwnDevNullIsNotUsed() throws Exception {
        String corePattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern"));
        Path root = Pelagos.hostileCopy("devnull-replaced", tmp);
        Pelagos.Result ls = pelagos.runIn(root, List.of(), "/probe", "ls", "/dev");
        assertThat(ls.code()).as("stderr: %s", ls.err()).isZero();
        assertThat(ls.out().lines()).contains("null chr 666 1:3", "zero chr 666 1:5");
        assumeTrue(Files.exists(Path.of("/proc/timer_list")), "no /proc/timer_list to check masking with");
        assertThat(pelagos.runIn(root, List.of(), "/probe", "read", "/proc/timer_list").out()).isEmpty();
        assertThat(pelagos.runIn(root, List.of(), "/probe", "openw", "/proc/sys/kernel/core_pattern").line()).isEqualTo("EROFS 30");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/core_pattern"))).isEqualTo(corePattern);
        assertThat(Files.isSymbolicLink(root.resolve("dev/null"))).as("the image itself is not modified").isTrue();
    }

    /** A file bound over /dev/null by the user: masking must refuse it, not bind it over /proc files. */
    @Test
    void userBindOverDevNull() throws Exception {
        Path fake = Files.writeString(tmp.resolve("fake-null"), "not the null device");
        Pelagos.Result r = pelagos.probe(List.of("--bind", fake + ":/dev/null"), "read", "/proc/timer_list");
        if (r.code() == 0) {
            assertThat(r.out()).as("masked file content").isEmpty();
        } else {
            assertThat(r.code()).isEqualTo(125);
            Pelagos.assertOneErrorLine(r);
        }
        assertThat(fake).hasContent("not the null device");
    }
}
