package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --network none (the default, alias loopback) gives the container its own network namespace
 * with only `lo`, and `lo` is up; --network host shares the host's namespace and sees its
 * interfaces. A failure means containers either reach the host's network when they should not,
 * or cannot even use localhost.
 */
class NetworkIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
    }

    /** Interface names from a /proc/net/dev text. */
    static Set<String> interfaces(String procNetDev) {
        Set<String> names = new TreeSet<>();
        procNetDev.lines().skip(2).forEach(l -> names.add(l.strip().split(":")[0]));
        return names;
    }

    @Test
    void noneHasOnlyLoopbackAndItIsUp() {
        for (List<String> opts : List.of(List.<String>of(), List.of("--network", "none"), List.of("--net", "loopback"))) {
            assertThat(interfaces(pelagos.probe(opts, "read", "/proc/net/dev").out())).as("%s", opts).containsExactly("lo");
            String flags = pelagos.probe(opts, "read", "/sys/class/net/lo/flags").line();
            assertThat(Integer.decode(flags) & 1).as("IFF_UP in %s", flags).isEqualTo(1);
        }
    }

    @Test
    void hostSeesTheHostsInterfaces() throws IOException {
        Set<String> host = interfaces(Files.readString(Path.of("/proc/net/dev")));
        Pelagos.Result r = pelagos.probe(List.of("--network", "host"), "read", "/proc/net/dev");
        assertThat(interfaces(r.out())).isEqualTo(host);
        String hostNet = DefaultsIT.hostNamespace("net");
        assertThat(pelagos.probe(List.of("--network", "host")).json().getAsJsonObject("namespaces").get("net").getAsString())
                .isEqualTo(hostNet);
    }

    @Test
    void hostNetworkGetsTheHostsResolvConf() throws IOException {
        Path resolv = Path.of("/etc/resolv.conf");
        String inside = pelagos.probe(List.of("--network", "host"), "read", "/etc/resolv.conf").out();
        if (Files.isReadable(resolv)) {
            assertThat(inside).isEqualTo(Files.readString(resolv));
        }
    }
}
