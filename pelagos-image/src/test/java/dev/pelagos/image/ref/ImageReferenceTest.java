package dev.pelagos.image.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.image.ImageException;
import dev.pelagos.image.ImageStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    @ParameterizedTest
    @CsvSource({
        "alpine, docker.io/library/alpine:latest",
        "alpine:3.20, docker.io/library/alpine:3.20",
        "library/alpine, docker.io/library/alpine:latest",
        "user/app:v1, docker.io/user/app:v1",
        "index.docker.io/library/alpine, docker.io/library/alpine:latest",
        "127.0.0.1:5000/busy:1, 127.0.0.1:5000/busy:1",
        "localhost/app, localhost/app:latest",
        "quay.io/a/b/c:x_y.z-1, quay.io/a/b/c:x_y.z-1",
        "[::1]:5000/app:t, [::1]:5000/app:t",
    })
    void normalisesLikeDocker(String text, String expected) throws ImageException {
        assertThat(ImageReference.parse(text).toString()).isEqualTo(expected);
    }

    @Test
    void digestReferenceKeepsTagAndDigest() throws ImageException {
        String hex = "a".repeat(64);
        ImageReference r = ImageReference.parse("127.0.0.1:5000/x:1@sha256:" + hex);
        assertThat(r.tag()).isEqualTo("1");
        assertThat(r.manifestReference()).isEqualTo("sha256:" + hex);
        ImageReference pinned = ImageReference.parse("alpine@sha256:" + hex);
        assertThat(pinned.tag()).isNull();
        assertThat(pinned.toString()).isEqualTo("docker.io/library/alpine@sha256:" + hex);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Alpine", "alpine:", "alpine::1", "-alpine", "alpine@sha256:abc", "a/../b",
        "alpine@sha256:../../../etc/passwd", "host:99999999/x", "UPPER/case:1", "alpine:tag with space"})
    void rejectsInvalidReferences(String text) {
        assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(ImageException.class)
                .hasMessageContaining("invalid image reference");
    }

    @Test
    void tagLongerThan128IsRejected() {
        assertThat(ImageReference.tryParse("a:" + "t".repeat(128))).isPresent();
        assertThat(ImageReference.tryParse("a:" + "t".repeat(129))).isEmpty();
    }

    @Test
    void dockerHubApiLivesOnRegistryOne() throws ImageException {
        assertThat(ImageReference.parse("alpine").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("127.0.0.1:5000/a").apiHost()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void localNameIsTriedBeforeRegistryNormalisation() {
        assertThat(ImageStore.candidateNames("myapp")).containsExactly("myapp:latest", "docker.io/library/myapp:latest");
        assertThat(ImageStore.candidateNames("myapp:2")).containsExactly("myapp:2", "docker.io/library/myapp:2");
        assertThat(ImageStore.candidateNames("127.0.0.1:5000/a")).containsExactly("127.0.0.1:5000/a:latest");
    }
}
