package dev.pelagos.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REFERENCE §7.2: names, CIDRs, overlaps, the default network; and what a subnet is. */
class NetworkStoreTest {
    @TempDir
    Path tmp;

    private static ErrorKind kind(Throwable e) {
        return ((PelagosException) e).kind();
    }

    @Test
    void subnetsParseClearHostBitsAndKnowTheirGatewayAndOverlaps() throws Exception {
        Subnet s = Subnet.parse("10.88.1.77/24");
        assertThat(s).hasToString("10.88.1.0/24");
        assertThat(s.gateway().getHostAddress()).isEqualTo("10.88.1.1");
        assertThat(s.overlaps(Subnet.parse("10.88.0.0/16"))).isTrue();
        assertThat(s.overlaps(Subnet.parse("10.88.1.128/25"))).isTrue();
        assertThat(s.overlaps(Subnet.parse("10.88.2.0/24"))).isFalse();
        for (String bad : new String[] {"x", "10.0.0.0", "10.0.0/24", "10.0.0.256/24", "10.0.0.0/33", "10.0.0.0/x", "a.b.c.d/8"}) {
            assertThatThrownBy(() -> Subnet.parse(bad)).hasMessageStartingWith("invalid CIDR '" + bad + "'");
        }
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/31")).hasMessageContaining("prefix length of 8..30");
    }

    @Test
    void createListGetAndRemove() throws Exception {
        NetworkStore store = new NetworkStore(tmp);
        assertThat(store.list()).extracting(NetworkDef::name).containsExactly("bridge");
        NetworkDef front = store.create("front", "10.88.1.0/24");
        assertThat(front.bridge()).isEqualTo("rm-front");
        store.create("back", "10.88.2.0/24");
        assertThat(store.list()).extracting(NetworkDef::name).containsExactly("back", "bridge", "front");
        assertThat(new NetworkStore(tmp).get("front")).isEqualTo(front);
        store.remove("front");
        assertThatThrownBy(() -> store.get("front")).hasMessage("network 'front' not found")
                .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void clashesAndBadNamesAreRefused() throws Exception {
        NetworkStore store = new NetworkStore(tmp);
        store.create("front", "10.88.1.0/24");
        assertThatThrownBy(() -> store.create("front", "10.99.0.0/24")).hasMessage("network 'front' already exists")
                .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.CONFLICT));
        assertThatThrownBy(() -> store.create("other", "10.88.1.128/25"))
                .hasMessage("subnet 10.88.1.128/25 overlaps with network 'front' (10.88.1.0/24)");
        assertThatThrownBy(() -> store.create("mine", "172.19.0.0/16")).hasMessageContaining("overlaps with network 'bridge'");
        for (String bad : new String[] {"-x", "a_b", "thirteen-char", ""}) {
            assertThatThrownBy(() -> store.create(bad, "10.77.0.0/24")).hasMessage("invalid network name '" + bad + "'");
        }
        assertThatThrownBy(() -> store.remove("bridge")).hasMessage("the default network 'bridge' cannot be removed");
        assertThat(store.list()).extracting(NetworkDef::name).containsExactly("bridge", "front");
    }
}
