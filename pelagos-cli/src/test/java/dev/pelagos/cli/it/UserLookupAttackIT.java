package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: an image whose /etc/passwd is a symlink to /dev/zero, a 1 GiB sparse file, or a symlink
 * to a host file outside the root (CVE-2024-9676 class), and user ids past 2^31-1 that would wrap
 * (CVE-2024-40635, pelagos #317). `-u NAME` must fail fast with one clean line and never read the
 * host's file; out-of-range ids must be refused. A failure means an image can hang or exhaust
 * `pelagos run`, learn about host accounts, or get a container to run as root by overflow.
 */
class UserLookupAttackIT {
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
    void passwdIsDevZero() throws Exception {
        Path root = Pelagos.hostileCopy("passwd-devzero", tmp);
        long start = System.nanoTime();
        Pelagos.Result r = pelagos.runIn(root, List.of("-u", "alice"), "/probe");
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(10_000);
        assertThat(r.code()).isEqualTo(125);
        Pelagos.assertOneErrorLine(r);
        assertThat(r.errLines().getFirst()).contains("unable to find user alice");
        // numeric users need no passwd at all
        assertThat(pelagos.runIn(root, List.of("-u", "1000"), "/probe").json().get("uid").getAsInt()).isEqualTo(1000);
    }

    @Test
    void passwdIsHuge() throws Exception {
        Path root = Pelagos.hostileCopy("passwd-huge", tmp);
        assertThat(Files.size(root.resolve("etc/passwd"))).isEqualTo(1L << 30);
        long start = System.nanoTime();
        Pelagos.Result r = pelagos.runIn(root, List.of("-u", "alice"), "/probe");
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(10_000);
        assertThat(r.code()).isEqualTo(125);
        Pelagos.assertOneErrorLine(r);
    }

    @Test
    void passwdPointsToAHostFile() throws Exception {
        Path hostPasswd = Path.of("/tmp/pelagos-attack-passwd");
        Path hostGroup = Path.of("/tmp/pelagos-attack-group");
        try {
            Files.writeString(hostPasswd, "hostuser:x:4242:4242::/host:/bin/sh\n");
            Files.writeString(hostGroup, "hostgroup:x:4343:hostuser\n");
            Path root = Pelagos.hostileCopy("passwd-host", tmp);
            Pelagos.Result r = pelagos.runIn(root, List.of("-u", "hostuser"), "/probe");
            assertThat(r.code()).isEqualTo(125);
            assertThat(r.errLines().getFirst()).contains("unable to find user hostuser");
            Pelagos.Result g = pelagos.runIn(root, List.of("--group-add", "hostgroup"), "/probe");
            assertThat(g.code()).isEqualTo(125);
            assertThat(g.errLines().getFirst()).contains("unable to find group hostgroup");
        } finally {
            Files.deleteIfExists(hostPasswd);
            Files.deleteIfExists(hostGroup);
        }
    }

    @Test
    void outOfRangeIdsAreRefused() {
        for (String u : List.of("2147483648", "4294967295", "4294967296", "0:2147483648", "18446744073709551615")) {
            Pelagos.Result r = pelagos.probe(List.of("-u", u));
            assertThat(r.code()).as("-u %s", u).isEqualTo(125);
            Pelagos.assertOneErrorLine(r);
            assertThat(r.errLines().getFirst()).contains("out of range");
        }
        assertThat(pelagos.probe(List.of("-u", "2147483647")).json().get("uid").getAsLong()).isEqualTo(2147483647L);
    }
}
