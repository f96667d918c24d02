package dev.pelagos.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamTest {
    @TempDir
    Path tmp;

    private static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    private static Subnet subnet(int prefix) throws Exception {
        return new Subnet(ip("10.9.8.77"), prefix);
    }

    private Ipam ipam(int prefix) throws Exception {
        return new Ipam(tmp.resolve("ips"), subnet(prefix));
    }

    @Test
    void addressesGoLowestFirstAfterTheGateway() throws Exception {
        Ipam ipam = ipam(24);
        assertThat(subnet(24).gateway()).isEqualTo(ip("10.9.8.1"));
        assertThat(ipam.claim("a", id -> true)).isEqualTo(ip("10.9.8.2"));
        assertThat(ipam.claim("b", id -> true)).isEqualTo(ip("10.9.8.3"));
        assertThat(Files.readString(tmp.resolve("ips/10.9.8.3"))).isEqualTo("b");
        assertThat(ipam.claim("a", id -> true)).as("an owner keeps its address").isEqualTo(ip("10.9.8.2"));
    }

    @Test
    void claimsOfContainersThatStoppedAreReusedAndReleasedOnesToo() throws Exception {
        Ipam ipam = ipam(24);
        ipam.claim("gone", id -> true);
        ipam.claim("alive", id -> true);
        Set<String> running = Set.of("alive");
        assertThat(ipam.claim("new", running::contains)).isEqualTo(ip("10.9.8.2"));
        ipam.release("alive");
        assertThat(tmp.resolve("ips/10.9.8.3")).doesNotExist();
        assertThat(ipam.claim("newer", id -> true)).isEqualTo(ip("10.9.8.3"));
    }

    @Test
    void aFullSubnetIsAConflictWithAHint() throws Exception {
        Ipam ipam = ipam(30); // .77 the gateway, .78 the only host address, .79 the broadcast address
        assertThat(ipam.claim("a", id -> true)).isEqualTo(ip("10.9.8.78"));
        assertThatThrownBy(() -> ipam.claim("b", id -> true)).isInstanceOf(PelagosException.class)
                .hasMessage("no free address left in 10.9.8.76/30")
                .satisfies(e -> assertThat(((PelagosException) e).kind()).isEqualTo(ErrorKind.CONFLICT));
    }
}
