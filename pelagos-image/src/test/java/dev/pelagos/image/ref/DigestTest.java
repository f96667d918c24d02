package dev.pelagos.image.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.image.ImageException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
    @Test
    void sha256OfKnownContent() {
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parseRoundTrips() throws ImageException {
        String text = "sha256:" + "0123456789abcdef".repeat(4);
        assertThat(Digest.parse(text).toString()).isEqualTo(text);
        assertThat(Digest.parse(text).shortHex()).isEqualTo("0123456789ab");
    }

    /** Digests become file names and URLs: anything but algorithm:lower-hex of the right length is refused (CVE-2024-3727). */
    @ParameterizedTest
    @ValueSource(strings = {"sha256:../../../../etc/passwd", "sha256:" + "A0000000000000000000000000000000000000000000000000000000000000000",
        "sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e", "sha256:", ":abc", "sha256/" + "a",
        "sha256:" + "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0/x"})
    void rejectsMalformedDigests(String text) {
        assertThatThrownBy(() -> Digest.parse(text)).isInstanceOf(ImageException.class).hasMessageContaining("invalid digest");
        assertThat(Digest.isValid(text)).isFalse();
    }

    @Test
    void constructorRejectsBadHexToo() {
        assertThatThrownBy(() -> new Digest("sha256", "../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void platformParsing() throws ImageException {
        assertThat(Platform.parse("linux/arm64/v8").variant()).isEqualTo("v8");
        assertThat(Platform.parse("linux/amd64").accepts("linux", "amd64", null)).isTrue();
        assertThat(Platform.parse("linux/arm/v7").accepts("linux", "arm", "v6")).isFalse();
        assertThatThrownBy(() -> Platform.parse("linux")).isInstanceOf(ImageException.class);
    }
}
