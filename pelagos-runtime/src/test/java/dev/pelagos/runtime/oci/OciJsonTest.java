package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import dev.pelagos.base.PelagosException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciJsonTest {
    @TempDir
    Path dir;

    @Test
    void theStateRecordRoundTrips() throws PelagosException {
        OciConfig.Hook h = new OciConfig.Hook("/bin/true", List.of("true", "x"), List.of("A=1"), 3);
        OciRecord r = new OciRecord("1.0.2", "c", "/b", "/b/rootfs", 5, 6, Map.of("k", "v"), "pelagos-oci/c",
                new OciConfig.Hooks(null, null, null, null, List.of(h), List.of(h)), 0x20000, 1000, 100, List.of(5L, 6L),
                List.of("PATH=/bin"), "/w", new long[] {1, 2, 3, 4, 5}, true, true, List.of("/sys/fs/cgroup/devices/x"));
        OciRecord back = OciRecordJson.read(OciRecordJson.write(r), "state");
        assertThat(back.id()).isEqualTo("c");
        assertThat(back.annotations()).containsEntry("k", "v");
        assertThat(back.hooks().poststart()).containsExactly(h);
        assertThat(back.hooks().prestart()).isNull();
        assertThat(back.capabilities()).containsExactly(1, 2, 3, 4, 5);
        assertThat(back.additionalGids()).containsExactly(5L, 6L);
        assertThat(back.extraCgroups()).containsExactly("/sys/fs/cgroup/devices/x");
        assertThat(back.uid()).isEqualTo(1000);
        assertThat(back.noNewPrivileges()).isTrue();
    }

    @Test
    void typeErrorsNameTheFieldAndIndex() {
        assertThatThrownBy(() -> OciConfigReader.parse("{\"process\":{\"env\":[\"A=1\", 7]}}", "c"))
                .hasMessageContaining("process.env[1] must be a string, got 7");
        assertThatThrownBy(() -> OciConfigReader.parse("{\"linux\":{\"namespaces\":{\"type\":\"pid\"}}}", "c"))
                .hasMessageContaining("linux.namespaces must be an array");
        assertThatThrownBy(() -> OciConfigReader.parse("{\"process\":{\"user\":{\"uid\":1.5}}}", "c"))
                .hasMessageContaining("process.user.uid must be a whole number");
        assertThatThrownBy(() -> OciConfigReader.parse("[1]", "c")).hasMessageContaining("does not hold a JSON object");
        assertThatThrownBy(() -> OciConfigReader.parse("{", "c")).hasMessageContaining("invalid c");
    }

    @Test
    void rlimitsKeepTheFullUnsignedRange() throws PelagosException {
        OciConfig c = OciConfigReader.parse("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_CORE\","
                + "\"hard\":18446744073709551615,\"soft\":1e3}]}}", "c");
        assertThat(c.process().rlimits().getFirst().hard()).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(c.process().rlimits().getFirst().soft()).isEqualTo(BigInteger.valueOf(1000));
    }

    @Test
    void theStarterSpecIsAValidBundleConfig() throws Exception {
        Files.createDirectories(dir.resolve("rootfs"));
        for (boolean rootless : new boolean[] {false, true}) {
            OciConfig c = OciConfigReader.parse(OciTemplates.spec(rootless, 1000, 1000), "spec");
            assertThatCode(() -> ConfigValidator.validate(c, dir)).doesNotThrowAnyException();
            assertThat(c.process().noNewPrivileges()).isTrue();
            assertThat(c.linux().namespaces()).extracting(OciConfig.Namespace::type).contains("pid", "mount")
                    .doesNotHaveDuplicates();
            assertThat(c.linux().uidMappings() != null).isEqualTo(rootless);
        }
    }

    @Test
    void featuresAndStateAreJson() throws PelagosException {
        var f = JsonParser.parseString(OciTemplates.features()).getAsJsonObject();
        assertThat(f.get("ociVersionMax").getAsString()).startsWith("1.");
        assertThat(f.getAsJsonArray("hooks")).hasSize(6);
        assertThat(f.getAsJsonArray("mountOptions").asList()).extracting(e -> e.getAsString()).contains("idmap", "ridmap");
        assertThat(f.getAsJsonObject("linux").getAsJsonObject("mountExtensions").getAsJsonObject("idmap").get("enabled")
                .getAsBoolean()).isEqualTo(OciTemplates.kernelAtLeast(System.getProperty("os.version"), 5, 12));
        assertThat(OciTemplates.kernelAtLeast("6.18.0-1-amd64", 5, 12)).isTrue();
        assertThat(OciTemplates.kernelAtLeast("5.12.0", 5, 12)).isTrue();
        assertThat(OciTemplates.kernelAtLeast("5.11.22", 5, 12)).isFalse();
        assertThat(OciTemplates.kernelAtLeast("4.19.0", 5, 12)).isFalse();
        assertThat(OciTemplates.kernelAtLeast("weird", 5, 12)).isFalse();
        String compact = OciStateJson.compact(Map.of("a", List.of(1, "x\"y"), "b", true));
        assertThat(JsonParser.parseString(compact).getAsJsonObject().getAsJsonArray("a").get(1).getAsString()).isEqualTo("x\"y");
        assertThat(OciStateJson.pretty(Map.of("a", 1))).contains("\n  \"a\": 1");
    }
}
