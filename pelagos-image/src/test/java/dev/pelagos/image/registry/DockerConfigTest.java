package dev.pelagos.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
    @TempDir
    Path dir;

    @Test
    void storeLookupEraseRoundTripWithPrivateFile() throws Exception {
        DockerConfig c = new DockerConfig(dir.resolve(".docker/config.json"));
        assertThat(c.lookup("127.0.0.1:5000")).isEmpty();
        c.store("127.0.0.1:5000", new Credentials("alice", "pa:ss"));
        assertThat(c.lookup("127.0.0.1:5000")).contains(new Credentials("alice", "pa:ss"));
        assertThat(Files.getPosixFilePermissions(c.file()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        assertThat(Files.readString(c.file())).doesNotContain("pa:ss"); // base64, as Docker writes it
        assertThat(c.erase("127.0.0.1:5000")).isTrue();
        assertThat(c.erase("127.0.0.1:5000")).isFalse();
        assertThat(c.lookup("127.0.0.1:5000")).isEmpty();
    }

    @Test
    void readsDockersOwnFormatsIncludingTheHubKeyAndSchemePrefixes() throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, """
                {"auths":{"https://index.docker.io/v1/":{"auth":"aHViOmh1YnB3"},
                          "https://quay.io":{"auth":"cTpxcHc="},
                          "other.example":{"username":"u","password":"p"}},
                 "credHelpers":{}}
                """);
        DockerConfig c = new DockerConfig(f);
        assertThat(c.lookup("docker.io")).contains(new Credentials("hub", "hubpw"));
        assertThat(c.lookup("quay.io")).contains(new Credentials("q", "qpw"));
        assertThat(c.lookup("other.example")).contains(new Credentials("u", "p"));
    }

    @Test
    void brokenEntriesAndMissingHelpersAreClearErrors() throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"auths\":{\"r.example\":{\"auth\":\"bm9jb2xvbg==\"}}}");
        assertThatThrownBy(() -> new DockerConfig(f).lookup("r.example")).hasMessageContaining("invalid 'auth' for r.example");
        Files.writeString(f, "{\"credHelpers\":{\"r.example\":\"pelagos-test-no-such-helper\"}}");
        assertThatThrownBy(() -> new DockerConfig(f).lookup("r.example"))
                .hasMessageContaining("docker-credential-pelagos-test-no-such-helper");
        Files.writeString(f, "{\"credsStore\":\"../../bin/sh\"}");
        assertThatThrownBy(() -> new DockerConfig(f).lookup("r.example")).hasMessageContaining("invalid credential helper name");
        Files.writeString(f, "{not json");
        assertThatThrownBy(() -> new DockerConfig(f).lookup("r.example")).hasMessageContaining("invalid JSON");
    }
}
