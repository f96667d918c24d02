package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network test class's own Pelagos instance: the bridge networks it asks for are made first;
 * afterwards its containers and those networks are removed, nothing of them may be left, and the
 * host's networking is put back as it was ({@link HostNetworkState}).
 */
final class NetworkTestbed {
    private final Pelagos pelagos;
    private final HostNetworkState host;
    private final List<String> networks = new ArrayList<>();

    private NetworkTestbed(Pelagos pelagos, HostNetworkState host) {
        this.pelagos = pelagos;
        this.host = host;
    }

    /** @param networks "NAME=CIDR" each, made now and removed at {@link #close()} */
    static NetworkTestbed open(Path tmp, String... networks) throws Exception {
        Pelagos.requireEnvironment();
        NetworkTestbed bed = new NetworkTestbed(new Pelagos(tmp), HostNetworkState.note());
        for (String n : networks) {
            String[] f = n.split("=", 2);
            Pelagos.Result r = bed.pelagos.run("network", "create", f[0], "--subnet", f[1]);
            assertThat(r.code()).as(r.err()).isZero();
            bed.networks.add(f[0]);
        }
        return bed;
    }

    Pelagos pelagos() {
        return pelagos;
    }

    /** Networks a test makes itself, removed at {@link #close()} too (when they are still there). */
    void removeAfterwards(String... names) {
        networks.addAll(List.of(names));
    }

    void close() throws Exception {
        pelagos.removeState();
        for (String n : networks) {
            pelagos.run("network", "rm", n);
        }
        assertThat(pelagos.leftovers()).isEmpty();
        host.restore();
    }
}
