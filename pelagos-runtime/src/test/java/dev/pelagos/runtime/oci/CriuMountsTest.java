package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which container mounts CRIU is told are external, and the host path each comes from. */
class CriuMountsTest {
    // the host: / on ext4 (8:1), /dev devtmpfs (0:5), /tmp a tmpfs (0:30), a subdirectory of the disk bound at /srv/web
    private static final List<String> HOST = List.of(
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
            "23 22 0:5 / /dev rw,nosuid shared:2 - devtmpfs udev rw",
            "24 22 0:30 / /tmp rw shared:3 - tmpfs tmpfs rw",
            "25 22 8:1 /var/www /srv/web rw shared:1 - ext4 /dev/sda1 rw",
            "26 22 0:22 / /proc rw shared:4 - proc proc rw");

    // the container: its root (a bundle on the disk), its own proc, /dev tmpfs and devpts; binds from the host
    private static final List<String> CONTAINER = List.of(
            "40 30 8:1 /bundles/b/rootfs / rw - ext4 /dev/sda1 rw",
            "41 40 0:50 / /proc rw - proc proc rw",
            "42 40 0:51 / /dev rw - tmpfs tmpfs rw",
            "43 42 0:52 / /dev/pts rw - devpts devpts rw",
            "44 41 0:50 /sys /proc/sys ro - proc proc rw",
            "45 41 0:5 /null /proc/kcore rw - devtmpfs udev rw",
            "46 40 0:30 /ck/data /data rw - tmpfs tmpfs rw",
            "47 40 8:1 /var/www/static /www rw - ext4 /dev/sda1 rw",
            "48 40 8:1 /home/a\\040b /with\\040space rw - ext4 /dev/sda1 rw");

    @Test
    void hostFilesystemsAreExternalAndTheContainersOwnAreNot() {
        assertThat(CriuMounts.external(CONTAINER, HOST)).containsExactly(
                java.util.Map.entry("/proc/kcore", "/dev/null"),
                java.util.Map.entry("/data", "/tmp/ck/data"),
                java.util.Map.entry("/www", "/srv/web/static"),
                java.util.Map.entry("/with space", "/home/a b"));
    }

    @Test
    void aFilesystemTheHostDoesNotMountIsLeftToCriu() {
        assertThat(CriuMounts.external(List.of("40 30 0:60 / / rw - tmpfs tmpfs rw", "41 40 0:61 / /x rw - tmpfs t rw"), HOST))
                .isEmpty();
    }

    @Test
    void aFailureQuotesCriusLastErrorLines(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("dump.log");
        Files.writeString(log, """
                (00.000100) Version: 3.17.1
                (00.012630) Error (criu/a.c:1): first
                (00.012631) Warn  (criu/b.c:2): not this
                (00.012632) Error (criu/c.c:3): second
                (00.012633) Error (criu/d.c:4): third
                (00.012634) Error (criu/e.c:5): fourth
                """);
        assertThat(Criu.lastErrors(log)).isEqualTo("Error (criu/c.c:3): second; Error (criu/d.c:4): third; Error (criu/e.c:5): fourth");
        assertThat(Criu.lastErrors(tmp.resolve("absent.log"))).isEmpty();
    }
}
