package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidatorTest {
    @TempDir
    Path bundle;

    @BeforeEach
    void rootfs() throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
    }

    private static OciConfig parse(String json) throws PelagosException {
        return OciConfigReader.parse(json, "config.json");
    }

    private static String config(String process, String extra) {
        return "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":" + process + extra + "}";
    }

    private static final String OK_PROCESS = "{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}}";

    @Test
    void aMinimalConfigPasses() throws PelagosException {
        OciConfig c = parse(config(OK_PROCESS, ""));
        assertThatCode(() -> ConfigValidator.validate(c, bundle)).doesNotThrowAnyException();
        assertThat(c.process().args()).containsExactly("sh");
    }

    @Test
    void errorsNameTheField() throws PelagosException {
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(OK_PROCESS.replace("\"/\"", "\"tmp\""), "")), bundle))
                .hasMessageContaining("process.cwd");
        String rl = "{\"args\":[\"sh\"],\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":10,\"soft\":10},"
                + "{\"type\":\"RLIMIT_TEST\",\"hard\":1,\"soft\":1}]}";
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(rl, "")), bundle))
                .hasMessageContaining("process.rlimits[1].type").hasMessageContaining("RLIMIT_TEST");
        String caps = "{\"args\":[\"sh\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_TEST\"]}}";
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(caps, "")), bundle))
                .hasMessageContaining("process.capabilities.bounding[1]");
    }

    @Test
    void wrongTypesAreReportedWithTheirJsonPath() {
        assertThatThrownBy(() -> parse(config("{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":\"root\"}}", "")))
                .hasMessageContaining("process.user.uid must be a number");
    }

    @Test
    void versionRootAndHostnameRules() throws PelagosException {
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(OK_PROCESS, "").replace("1.0.2", "2.0.0")), bundle))
                .hasMessageContaining("ociVersion");
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(OK_PROCESS, "").replace("\"rootfs\"", "\"nope\"")), bundle))
                .hasMessageContaining("root.path");
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(OK_PROCESS, ",\"hostname\":\"h\"")), bundle))
                .hasMessageContaining("hostname").hasMessageContaining("UTS");
        String ns = ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}";
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(OK_PROCESS, ns)), bundle))
                .hasMessageContaining("linux.namespaces[1].type");
    }

    @Test
    void aNamespacePathMustBeOfItsType() throws PelagosException {
        String ns = ",\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/self/ns/ipc\"}]}";
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(OK_PROCESS, ns)), bundle))
                .hasMessageContaining("linux.namespaces[0].path").hasMessageContaining("not a network namespace");
        String good = ",\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/self/ns/net\"}]}";
        assertThatCode(() -> ConfigValidator.validate(parse(config(OK_PROCESS, good)), bundle)).doesNotThrowAnyException();
    }

    @Test
    void hooksNeedAbsolutePathsAndPositiveTimeouts() throws PelagosException {
        String h = ",\"hooks\":{\"poststop\":[{\"path\":\"/bin/true\"},{\"path\":\"/bin/true\",\"timeout\":0}]}";
        assertThatThrownBy(() -> ConfigValidator.validate(parse(config(OK_PROCESS, h)), bundle))
                .hasMessageContaining("hooks.poststop[1].timeout");
    }

    @Test
    void unknownPropertiesAreIgnored() throws PelagosException {
        OciConfig c = parse(config(OK_PROCESS, ",\"vm\":{\"x\":1},\"linux\":{\"futureThing\":true}"));
        assertThatCode(() -> ConfigValidator.validate(c, bundle)).doesNotThrowAnyException();
    }
}
