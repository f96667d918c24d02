package dev.pelagos.runtime.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServeRequestTest {
    @Test
    void whatAStarterWritesTheServerReadsBack() throws Exception {
        List<ServeRequest.Network> asked = List.of(
                new ServeRequest.Network("front", (Inet4Address) InetAddress.getByName("10.88.1.1"), 24),
                new ServeRequest.Network("back", (Inet4Address) InetAddress.getByName("10.88.2.1"), 24));
        String request = new String(ServeRequest.of(asked), StandardCharsets.US_ASCII);
        assertThat(request).isEqualTo("serve front=10.88.1.1/24 back=10.88.2.1/24\n");
        assertThat(ServeRequest.parse(request)).isEqualTo(new ServeRequest.Parsed(asked, true));
        assertThat(ServeRequest.accepted(ServeRequest.answer(true))).isTrue();
        assertThat(ServeRequest.accepted(ServeRequest.answer(false))).isFalse();
    }

    @Test
    void aMalformedNetworkIsLeftOutAndAnythingElseIsNoRequest() throws Exception {
        ServeRequest.Parsed p = ServeRequest.parse("serve front=nowhere/8 back=10.88.2.1/24 x=10.0.0.1/abc\n");
        assertThat(p.wellFormed()).isFalse();
        assertThat(p.networks()).containsExactly(new ServeRequest.Network("back", (Inet4Address) InetAddress.getByName("10.88.2.1"), 24));
        assertThat(ServeRequest.parse("hello\n")).isNull();
        assertThat(ServeRequest.parse("")).isNull();
    }
}
