package dev.pelagos.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Docker's -p syntax, and which publications would take the same host port. */
class PortMappingTest {
    @ParameterizedTest
    @CsvSource({
        "80, 0.0.0.0:0->80/tcp",
        "8080:80, 0.0.0.0:8080->80/tcp",
        "8080:80/udp, 0.0.0.0:8080->80/udp",
        "127.0.0.1:8080:80, 127.0.0.1:8080->80/tcp",
        "0.0.0.0:8080:80/tcp, 0.0.0.0:8080->80/tcp",
        "127.0.0.1::53/udp, 127.0.0.1:0->53/udp",
    })
    void parsesDockersForms(String spec, String described) throws PelagosException {
        assertThat(PortMapping.parse(spec).describe()).isEqualTo(described);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        "80/sctp#the protocol must be tcp or udp",
        "0:80#'0' is not a port",
        "8080:65536#'65536' is not a port",
        "x:80#'x' is not a port",
        "8000-8010:80#port ranges are not supported",
        "localhost:8080:80#'localhost' is not an IPv4 address",
        "::1:8080:80#expected [IP:][HOST_PORT:]CONTAINER_PORT",
        ":#'' is not a port",
    })
    void refusesWhatItCannotPublish(String spec, String why) {
        assertThatThrownBy(() -> PortMapping.parse(spec)).isInstanceOf(PelagosException.class)
                .hasMessageStartingWith("invalid --publish '" + spec + "': ").hasMessageContaining(why);
    }

    @Test
    void theSamePortClashesUnlessTheAddressesOrProtocolsDiffer() throws PelagosException {
        PortMapping any = PortMapping.parse("8080:80");
        assertThat(any.clashesWith(PortMapping.parse("127.0.0.1:8080:81"))).isTrue();
        assertThat(PortMapping.parse("127.0.0.1:8080:80").clashesWith(PortMapping.parse("127.0.0.2:8080:80"))).isFalse();
        assertThat(any.clashesWith(PortMapping.parse("8080:80/udp"))).isFalse();
        assertThat(any.clashesWith(PortMapping.parse("8081:80"))).isFalse();
    }
}
