package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Host paths that the hostile fixtures aim at (/tmp/pelagos-attack-*). Before an attack a trap is
 * made an empty directory (the dangerous case: a mount or mknod that follows the image's symlink
 * out would land there); afterwards it must still be empty, with nothing mounted on it.
 */
final class HostTraps {
    private HostTraps() {
    }

    static Path trap(String name) {
        return Path.of("/tmp/pelagos-attack-" + name);
    }

    /** Makes fresh, empty trap directories. */
    static void arm(String... names) throws IOException {
        for (String n : names) {
            remove(trap(n));
            Files.createDirectories(trap(n));
        }
    }

    /** Asserts the traps are untouched (still empty, nothing mounted on them) and removes them. */
    static void assertUntouchedAndDisarm(String... names) throws IOException {
        try {
            for (String n : names) {
                Path t = trap(n);
                assertThat(Pelagos.hostMountsMentioning(t)).as("host mounts on %s", t).isEmpty();
                assertThat(t).as("trap %s", t).isDirectory();
                try (Stream<Path> s = Files.list(t)) {
                    assertThat(s.toList()).as("entries created in the host's %s", t).isEmpty();
                }
            }
        } finally {
            for (String n : names) {
                remove(trap(n));
            }
        }
    }

    /** Asserts the host path was never created. */
    static void assertAbsent(Path p) {
        assertThat(p).as("host path %s", p).doesNotExist();
    }

    static void remove(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        assertThat(Pelagos.hostMountsMentioning(p)).as("refusing to delete under a mount: %s", p).isEmpty();
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path x : all) {
                Files.deleteIfExists(x);
            }
        }
    }
}
