package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack (CVE-2019-5736 class): the container opens the runtime's binary through /proc and
 * overwrites it. Inside a container there must be no path to the helper or the installation (no
 * mount of it, /proc/1/exe is the container's own program, and with --init the helper acting as
 * PID 1 is non-dumpable, so /proc/1/exe cannot be read or opened); the monitor outside is not
 * visible at all; and the installed binaries are unchanged after the attempts. A failure means a
 * container could replace the binary the next `pelagos run` executes as root on the host.
 */
class HelperExposureAttackIT {
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
    void noMountLeadsToTheInstallation() {
        String home = Pelagos.home().toString();
        for (String line : pelagos.probe(List.of()).mounts()) {
            assertThat(line).doesNotContain(home).doesNotContain("pelagos-helper").doesNotContain("libexec");
        }
    }

    @Test
    void pid1IsTheContainersProgram() {
        assertThat(pelagos.probe(List.of(), "readlink", "/proc/1/exe").line()).isEqualTo("/probe");
        assertThat(pelagos.probe(List.of(), "readlink", "/proc/self/exe").line()).isEqualTo("/probe");
    }

    @Test
    void initAsPid1CannotBeOpenedOrRead() throws Exception {
        String before = sha256(Pelagos.home().resolve("libexec/pelagos-helper"));
        String link = pelagos.probe(List.of("--init"), "readlink", "/proc/1/exe").line();
        assertThat(link).doesNotContain("pelagos").doesNotContain(Pelagos.home().toString());
        assertThat(pelagos.probe(List.of("--init"), "openw", "/proc/1/exe").line()).isNotEqualTo("ok");
        assertThat(pelagos.probe(List.of("--init"), "read", "/proc/1/exe").code()).isNotZero();
        assertThat(pelagos.probe(List.of("--init"), "write", "/proc/1/exe", "overwritten").line()).isNotEqualTo("ok");
        assertThat(sha256(Pelagos.home().resolve("libexec/pelagos-helper"))).isEqualTo(before);
    }

    /** Only the container's own processes are visible: not the monitor, not the host. */
    @Test
    void theMonitorIsInvisible() {
        List<String> pids = pelagos.probe(List.of(), "ls", "/proc").out().lines()
                .map(l -> l.split(" ")[0]).filter(n -> n.chars().allMatch(Character::isDigit)).toList();
        assertThat(pids).containsExactly("1");
    }

    @Test
    void installedFilesAreUnchangedByAContainerRun() throws Exception {
        Path jar = Pelagos.home().resolve("lib/pelagos.jar");
        String jarBefore = sha256(jar);
        String helperBefore = sha256(Pelagos.home().resolve("libexec/pelagos-helper"));
        pelagos.probe(List.of("--privileged"), "write", "/proc/1/exe", "x");
        assertThat(sha256(jar)).isEqualTo(jarBefore);
        assertThat(sha256(Pelagos.home().resolve("libexec/pelagos-helper"))).isEqualTo(helperBefore);
    }

    static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
