package dev.pelagos.runtime.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UpstreamsTest {
    @Test
    void theHostsIpv4NameserversInOrderLoopbackIncluded() throws Exception {
        assertThat(Upstreams.fromResolvConf("# comment\nnameserver 127.0.0.53\nnameserver ::1\nnameserver 10.0.0.2 \nsearch x\n"))
                .containsExactly(new InetSocketAddress("127.0.0.53", 53), new InetSocketAddress("10.0.0.2", 53));
    }

    @Test
    void anUpstreamIsAnAddressLiteralWithAnOptionalPort() throws Exception {
        assertThat(Upstreams.parse("127.0.0.1:5353")).isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(Upstreams.parse("9.9.9.9")).isEqualTo(new InetSocketAddress("9.9.9.9", 53));
        assertThatThrownBy(() -> Upstreams.parse("dns.example")).isInstanceOf(IOException.class).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> Upstreams.parse("300.1.1.1")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Upstreams.parse("1.1.1.1:x")).isInstanceOf(IOException.class).hasMessageContaining("port");
    }
}
