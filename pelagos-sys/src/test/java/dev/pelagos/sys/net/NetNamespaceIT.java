package dev.pelagos.sys.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netlink and network namespaces for real (root): two namespaces made by {@link NetNamespace},
 * a bridge and a veth pair whose peer is born in the other namespace, addresses, a default route,
 * and a ping across. Everything happens inside the two namespaces; the host's links are checked
 * to be untouched.
 */
class NetNamespaceIT {
    @TempDir
    Path tmp;
    private Path a;
    private Path b;
    private List<String> hostLinksBefore;

    @BeforeEach
    void namespaces() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespaces)");
        try (NetlinkSocket host = NetlinkSocket.open()) {
            hostLinksBefore = new Links(host).list().stream().map(Links.Link::name).toList();
        }
        a = tmp.resolve("a");
        b = tmp.resolve("b");
        NetNamespace.create(a);
        NetNamespace.create(b);
    }

    @AfterEach
    void removeThem() throws IOException {
        for (Path p : new Path[] {a, b}) {
            if (p != null) {
                NetNamespace.delete(p);
                assertThat(p).doesNotExist();
            }
        }
    }

    private static Inet4Address ip(String s) throws IOException {
        return (Inet4Address) InetAddress.getByName(s);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + " " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aNewNamespaceHasOnlyLoopback() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.openIn(a)) {
            assertThat(new Links(s).list()).extracting(Links.Link::name).containsExactly("lo");
        }
    }

    @Test
    void aBridgedVethPairCarriesTrafficBetweenTwoNamespaces() throws Exception {
        try (NetlinkSocket sa = NetlinkSocket.openIn(a); NetlinkSocket sb = NetlinkSocket.openIn(b)) {
            Links la = new Links(sa);
            Links lb = new Links(sb);
            la.createBridge("br0");
            la.up("br0", null);
            la.addAddress("br0", ip("10.254.7.1"), 24);
            la.createVeth("veth-a", "eth0", b);
            la.up("veth-a", "br0");
            lb.up("lo", null);
            lb.up("eth0", null);
            lb.addAddress("eth0", ip("10.254.7.2"), 24);
            lb.addDefaultRoute(ip("10.254.7.1"));

            assertThat(la.find("veth-a").master()).isEqualTo(la.find("br0").index());
            assertThat(la.find("eth0")).as("the peer was born in the other namespace").isNull();
            assertThat(lb.find("eth0").up()).isTrue();
            assertThat(lb.addresses("eth0")).containsExactly("10.254.7.2/24");
            assertThat(la.addresses("br0")).containsExactly("10.254.7.1/24");
            assertThat(run("nsenter", "--net=" + b, "ip", "route", "show", "default")).startsWith("0 default via 10.254.7.1 dev eth0");
            assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox for ping");
            assertThat(run("nsenter", "--net=" + b, "/bin/busybox", "ping", "-c", "1", "-W", "3", "10.254.7.1")).startsWith("0 ");

            assertThatThrownBy(() -> la.createBridge("br0")).isInstanceOf(NetlinkException.class)
                    .hasMessage("create bridge br0: File exists");
            la.delete("veth-a");
            assertThat(lb.find("eth0")).as("deleting one end of a pair deletes both").isNull();
        }
        try (NetlinkSocket host = NetlinkSocket.open()) {
            assertThat(new Links(host).list().stream().map(Links.Link::name).toList()).isEqualTo(hostLinksBefore);
        }
    }

    @Test
    void aMissingNamespaceFileIsAClearError() {
        assertThatThrownBy(() -> NetlinkSocket.openIn(tmp.resolve("none"))).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("open " + tmp.resolve("none")).hasMessageContaining("No such file or directory");
    }
}
