package dev.pelagos.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsSettingsTest {
    @Test
    void collectsWhatDockersFlagsSay() throws Exception {
        DnsSettings d = new DnsSettings.Builder().alias("db").alias("db").alias("store_1").server("10.0.0.2").search("corp.example")
                .option("ndots:2").option("edns0").addHost("gw.local:host-gateway").addHost("v6=[::1]").addHost("a.b:10.1.2.3")
                .build(NetworkMode.BRIDGE);
        assertThat(d.aliases()).as("an alias given twice is one").containsExactly("db", "store_1");
        assertThat(d.servers()).containsExactly("10.0.0.2");
        assertThat(d.search()).containsExactly("corp.example");
        assertThat(d.options()).containsExactly("ndots:2", "edns0");
        assertThat(d.extraHosts()).containsExactly(new DnsSettings.HostEntry("gw.local", "host-gateway"),
                new DnsSettings.HostEntry("v6", "::1"), new DnsSettings.HostEntry("a.b", "10.1.2.3"));
        assertThat(new DnsSettings.Builder().build(NetworkMode.NONE).isEmpty()).isTrue();
    }

    @Test
    void refusesWhatIsNotANameAnAddressOrAnOption() {
        DnsSettings.Builder b = new DnsSettings.Builder();
        assertThatThrownBy(() -> b.alias("-db")).isInstanceOf(PelagosException.class).hasMessage("invalid --network-alias '-db'");
        assertThatThrownBy(() -> b.server("dns.example")).hasMessage("invalid --dns 'dns.example'");
        assertThatThrownBy(() -> b.server("300.1.1.1")).hasMessage("invalid --dns '300.1.1.1'");
        assertThatThrownBy(() -> b.search("bad..")).hasMessage("invalid --dns-search 'bad..'");
        assertThatThrownBy(() -> b.search("-x.example")).hasMessage("invalid --dns-search '-x.example'");
        assertThatThrownBy(() -> b.option("ndots=2")).hasMessage("invalid --dns-option 'ndots=2'");
        assertThatThrownBy(() -> b.addHost("nocolon")).hasMessage("invalid --add-host 'nocolon'");
        assertThatThrownBy(() -> b.addHost("db:not-an-ip")).hasMessage("invalid --add-host 'db:not-an-ip'");
        assertThatThrownBy(() -> b.addHost(":10.0.0.1")).hasMessage("invalid --add-host ':10.0.0.1'");
    }

    @Test
    void aliasesAndHostGatewayNeedABridge() throws Exception {
        assertThatThrownBy(() -> new DnsSettings.Builder().alias("db").build(NetworkMode.HOST))
                .hasMessage("--network-alias needs a bridge network");
        assertThatThrownBy(() -> new DnsSettings.Builder().addHost("h:host-gateway").build(NetworkMode.NONE))
                .hasMessageStartingWith("--add-host ...:host-gateway needs a bridge network");
        assertThat(new DnsSettings.Builder().addHost("h:10.0.0.1").server("1.1.1.1").build(NetworkMode.HOST).servers())
                .isEqualTo(List.of("1.1.1.1"));
    }
}
