package dev.pelagos.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.seccomp.SeccompChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The flag parsers of the builder: each bad input of REFERENCE §1.3 gets its one clear message. */
class ContainerConfigBuilderTest {
    @TempDir
    Path tmp;

    private static ContainerConfigBuilder builder() {
        return new ContainerConfigBuilder().rootfs(Path.of("/rootfs"), "/rootfs");
    }

    @Test
    void defaultsAreSecure() throws PelagosException {
        ContainerConfig c = builder().build();
        assertThat(c.noNewPrivileges()).isTrue();
        assertThat(c.privileged()).isFalse();
        assertThat(c.seccomp()).isEqualTo(SeccompChoice.DEFAULT);
        assertThat(c.network()).isEqualTo(NetworkMode.NONE);
        assertThat(c.readOnly()).isFalse();
        assertThat(c.entrypoint()).isNull();
        assertThat(c.command()).isEmpty();
    }

    @Test
    void deviceFlagsAreKeptInOrderAndBadRulesRefused() throws PelagosException {
        ContainerConfig c = builder().device("/dev/fuse").device("/dev/sdb:/dev/xvdb:r").deviceCgroupRule(" c 10:200 rwm ")
                .deviceCgroupRule("b 8:* r").build();
        assertThat(c.devices()).extracting(DeviceRequest::containerPath).containsExactly("/dev/fuse", "/dev/xvdb");
        assertThat(c.deviceCgroupRules()).containsExactly("c 10:200 rwm", "b 8:* r");
        for (String bad : new String[] {"c 10:200", "x 1:3 r", "c 1:3 rwx", "c one:3 r", "a"}) {
            assertThatThrownBy(() -> builder().deviceCgroupRule(bad)).isInstanceOf(PelagosException.class)
                    .hasMessage("invalid --device-cgroup-rule '" + bad + "'");
        }
    }

    @Test
    void imageOrRootfsIsRequired() {
        assertThatThrownBy(() -> new ContainerConfigBuilder().build())
                .isInstanceOf(PelagosException.class).hasMessage("an image name is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "web-1", "a.b_c", "0abc"})
    void validNames(String name) throws PelagosException {
        assertThat(builder().name(name).build().name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-web", ".web", "a/b", "..", "a b", "\u00e9t\u00e9"})
    void invalidNames(String name) {
        assertThatThrownBy(() -> builder().name(name)).hasMessage("invalid container name '" + name + "'");
    }

    @Test
    void tooLongNameIsRefused() {
        String n = "a".repeat(129);
        assertThatThrownBy(() -> builder().name(n)).hasMessage("invalid container name '" + n + "'");
    }

    @Test
    void envKeyValueAndCopyFromCaller() throws PelagosException {
        String path = System.getenv("PATH");
        ContainerConfig c = builder().envFlag("A=1").envFlag("B=").envFlag("C=x=y").envFlag("PATH")
                .envFlag("PELAGOS_TEST_SURELY_UNSET_VARIABLE").build();
        assertThat(c.env()).containsExactly("A=1", "B=", "C=x=y", "PATH=" + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"=x", "="})
    void envWithoutKeyIsRefused(String kv) {
        assertThatThrownBy(() -> builder().envFlag(kv)).hasMessage("invalid environment variable '" + kv + "': expected KEY=VALUE");
    }

    @Test
    void envFileSkipsBlankAndCommentLinesAndComesInOrder() throws Exception {
        Path f = tmp.resolve("env");
        Files.writeString(f, "# comment\n\nA=1\n  B=two words  \n#C=3\nD=\n");
        assertThat(builder().envFile(f).envFlag("A=2").build().env()).containsExactly("A=1", "B=two words", "D=", "A=2");
    }

    @Test
    void missingEnvFileIsAClearError() {
        Path f = tmp.resolve("missing.env");
        assertThatThrownBy(() -> builder().envFile(f))
                .isInstanceOf(PelagosException.class)
                .hasMessageStartingWith("cannot read --env-file '" + f + "'");
    }

    @Test
    void envFileWithABadLineIsRefused() throws IOException {
        Path f = tmp.resolve("bad.env");
        Files.writeString(f, "A=1\n=oops\n");
        assertThatThrownBy(() -> builder().envFile(f)).hasMessage("invalid environment variable '=oops': expected KEY=VALUE");
    }

    @Test
    void workdirMustBeAbsolute() throws PelagosException {
        assertThat(builder().workdir("/srv").build().workdir()).isEqualTo("/srv");
        assertThatThrownBy(() -> builder().workdir("srv")).hasMessage("invalid --workdir 'srv': the path must be absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":100", "100:"})
    void malformedUserIsRefused(String u) {
        assertThatThrownBy(() -> builder().user(u)).hasMessage("invalid --user '" + u + "': expected UID[:GID] or NAME[:GROUP]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"box", "web-1.example", "A1"})
    void validHostnames(String h) throws PelagosException {
        assertThat(builder().hostname(h).build().hostname()).isEqualTo(h);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-bad", "under_score", "", "a b", "bad/slash"})
    void invalidHostnames(String h) {
        assertThatThrownBy(() -> builder().hostname(h)).hasMessage("invalid --hostname '" + h + "'");
    }

    @Test
    void hostnameLongerThan63IsRefused() {
        assertThatThrownBy(() -> builder().hostname("h".repeat(64))).isInstanceOf(PelagosException.class);
    }

    @ParameterizedTest(name = "--sysctl {0}")
    @CsvSource({
        "net.ipv4.ip_forward=1, net.ipv4.ip_forward, 1",
        "net/core/somaxconn=1024, net.core.somaxconn, 1024",
        "kernel.shmmax=1000, kernel.shmmax, 1000",
        "kernel.msgmax=1, kernel.msgmax, 1",
        "kernel.sem=1 2 3 4, kernel.sem, 1 2 3 4",
        "fs.mqueue.msg_max=20, fs.mqueue.msg_max, 20",
        "net.ipv4.ping_group_range=0 2147483647, net.ipv4.ping_group_range, 0 2147483647",
    })
    void namespacedSysctlsAreAccepted(String kv, String key, String value) throws PelagosException {
        assertThat(builder().sysctlFlag(kv).build().sysctls()).containsEntry(key, value);
    }

    @Test
    void sysctlWithoutValueIsRefused() {
        assertThatThrownBy(() -> builder().sysctlFlag("net.ipv4.ip_forward"))
                .hasMessage("invalid --sysctl 'net.ipv4.ip_forward': expected KEY=VALUE");
        assertThatThrownBy(() -> builder().sysctlFlag("=1")).hasMessage("invalid --sysctl '=1': expected KEY=VALUE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel.core_pattern=|/tmp/x", "vm.overcommit_memory=1", "kernel.sysrq=1",
        "net.ipv4/../../kernel/core_pattern=x", "net..x=1", "fs.file-max=1"})
    void hostWideSysctlsAreRefused(String kv) {
        assertThatThrownBy(() -> builder().sysctlFlag(kv))
                .isInstanceOf(PelagosException.class)
                .hasMessageEndingWith("is not allowed: it is not namespaced and would change the host");
    }

    @Test
    void netSysctlWithHostNetworkIsRefused() {
        assertThatThrownBy(() -> builder().network(NetworkMode.HOST).sysctlFlag("net.core.somaxconn=1").build())
                .hasMessage("--sysctl net.* cannot be used with --network host: it would change the host");
    }

    @Test
    void securityOptions() throws PelagosException {
        assertThat(builder().securityOpt("seccomp=unconfined").build().seccomp()).isEqualTo(SeccompChoice.UNCONFINED);
        assertThat(builder().securityOpt("seccomp:unconfined").build().seccomp()).isEqualTo(SeccompChoice.UNCONFINED);
        assertThat(builder().securityOpt("seccomp=default").build().seccomp()).isEqualTo(SeccompChoice.DEFAULT);
        assertThat(builder().securityOpt("no-new-privileges=false").build().noNewPrivileges()).isFalse();
        assertThat(builder().securityOpt("no-new-privileges=false").securityOpt("no-new-privileges").build().noNewPrivileges()).isTrue();
        assertThat(builder().securityOpt("no-new-privileges:true").build().noNewPrivileges()).isTrue();
    }

    @Test
    void badSecurityOptions() {
        assertThatThrownBy(() -> builder().securityOpt("bogus"))
                .hasMessage("unknown --security-opt 'bogus'")
                .satisfies(e -> assertThat(((PelagosException) e).hint()).contains("seccomp=unconfined"));
        assertThatThrownBy(() -> builder().securityOpt("no-new-privileges=maybe"))
                .hasMessage("invalid --security-opt 'no-new-privileges=maybe': expected no-new-privileges[=true|false]");
        assertThatThrownBy(() -> builder().securityOpt("apparmor=unconfined"))
                .satisfies(e -> assertThat(((PelagosException) e).kind()).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThatThrownBy(() -> builder().securityOpt("seccomp=" + tmp.resolve("nope.json")))
                .isInstanceOf(PelagosException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> builder().securityOpt("seccomp=")).isInstanceOf(PelagosException.class);
    }

    @Test
    void networkModes() throws PelagosException {
        assertThat(NetworkMode.parse("none")).isEqualTo(NetworkMode.NONE);
        assertThat(NetworkMode.parse("loopback")).isEqualTo(NetworkMode.NONE);
        assertThat(NetworkMode.parse("host")).isEqualTo(NetworkMode.HOST);
        assertThatThrownBy(() -> NetworkMode.parse("mynet"))
                .hasMessage("unknown network 'mynet'")
                .satisfies(e -> assertThat(((PelagosException) e).hint()).contains("pelagos network create NAME --subnet CIDR"));
        // through the builder a name is a user network (looked up when the container is made), several are eth0, eth1
        assertThat(builder().network("front").network("back").build().networks()).containsExactly("front", "back");
        assertThat(builder().network("bridge").build().network()).isEqualTo(NetworkMode.BRIDGE);
        assertThatThrownBy(() -> builder().network("host").network("front")).hasMessageContaining("cannot be combined");
        assertThatThrownBy(() -> builder().network("front").network("front")).hasMessage("--network front is given twice");
        assertThatThrownBy(() -> builder().network("bad!name")).hasMessage("unknown network 'bad!name'");
        assertThat(NetworkMode.parse("bridge")).isEqualTo(NetworkMode.BRIDGE);
        assertThatThrownBy(() -> NetworkMode.parse("pasta"))
                .satisfies(e -> assertThat(((PelagosException) e).kind()).isEqualTo(ErrorKind.UNSUPPORTED));
    }

    @Test
    void labelsWithAndWithoutValue() throws PelagosException {
        assertThat(builder().label("a=1").label("b").label("c=x=y").build().labels())
                .containsEntry("a", "1").containsEntry("b", "").containsEntry("c", "x=y");
    }

    @Test
    void mountsKeepTheirOrder() throws PelagosException {
        ContainerConfig c = builder().bindFlag("/a:/x", false).tmpfsFlag("/t").volumeFlag("v:/v").bindFlag("/b:/y", true).build();
        assertThat(c.mounts()).extracting(MountRequest::target).containsExactly("/x", "/t", "/v", "/y");
    }

    @Test
    void configIsImmutable() throws PelagosException {
        ContainerConfig c = builder().envFlag("A=1").build();
        assertThatThrownBy(() -> c.env().add("B=2")).isInstanceOf(UnsupportedOperationException.class);
    }
}
