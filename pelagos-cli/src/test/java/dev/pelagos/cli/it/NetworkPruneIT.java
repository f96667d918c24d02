package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network prune} and {@code system prune} remove the user networks no container is on (a
 * stopped one counts, as for {@code network rm}), bridge included, and keep the others and the
 * default one. A failure means pruning takes a network from under a container, or leaves bridges behind.
 */
class NetworkPruneIT {
    @TempDir
    static Path tmp;
    private static NetworkTestbed bed;
    private static Pelagos pelagos;

    @BeforeAll
    static void setUp() throws Exception {
        bed = NetworkTestbed.open(tmp);
        bed.removeAfterwards("itprkeep", "itprgone"); // should a check fail before pruning does it
        pelagos = bed.pelagos();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void unusedNetworksGoUsedOnesStay() {
        assertThat(pelagos.run("network", "create", "itprkeep", "--subnet", "10.253.85.0/24").code()).isZero();
        assertThat(pelagos.run("network", "create", "itprgone", "--subnet", "10.253.86.0/24").code()).isZero();
        assertThat(pelagos.run("run", "--name", "itprstopped", "--network", "itprkeep", "--rootfs", Pelagos.busyboxRootfs().toString(),
                "true").code()).isZero();
        assertThat(pelagos.run("run", "--rm", "--network", "itprgone", "--rootfs", Pelagos.busyboxRootfs().toString(), "true").code())
                .as("its bridge is made").isZero();
        assertThat(Files.exists(Path.of("/sys/class/net/rm-itprgone"))).isTrue();

        Pelagos.Result pruned = pelagos.run("network", "prune", "-f");
        assertThat(pruned.out()).as(pruned.err()).isEqualTo("Deleted Networks:\nitprgone\n");
        assertThat(pelagos.run("network", "ls", "-q").out()).isEqualTo("bridge\nitprkeep\n");
        assertThat(Files.exists(Path.of("/sys/class/net/rm-itprgone"))).as("its bridge went with it").isFalse();
        assertThat(pelagos.run("network", "prune").out()).as("nothing more to prune").isEmpty();

        Pelagos.Result system = pelagos.run("system", "prune", "-f");
        assertThat(system.out()).as(system.err()).contains("Deleted containers: 1\n").contains("Deleted network: itprkeep\n");
        assertThat(pelagos.run("network", "ls", "-q").out()).isEqualTo("bridge\n");
    }
}
