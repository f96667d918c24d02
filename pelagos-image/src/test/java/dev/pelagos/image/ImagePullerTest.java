package dev.pelagos.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.image.manifest.MediaTypes;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.ref.Platform;
import dev.pelagos.image.registry.Credentials;
import dev.pelagos.image.registry.RegistryException;
import dev.pelagos.image.store.BlobStore;
import dev.pelagos.image.testing.FakeRegistry;
import dev.pelagos.image.testing.TarBuilder;
import dev.pelagos.image.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull path against an in-process registry: auth flows, redirects, resume, verification, platforms. */
class ImagePullerTest {
    @TempDir
    Path data;

    private static final byte[] BASE = new TarBuilder().dir("bin").file("bin/hello", "hi\n", 0755).file("etc/os", "fake").build();
    private static final byte[] TOP = new TarBuilder().dir("app").file("app/run", "run\n", 0755).build();
    private static final TestImages.Image IMAGE = TestImages.image(
            "\"Env\":[\"A=1\"],\"Cmd\":[\"/bin/hello\"],\"WorkingDir\":\"/app\"", BASE, TOP);

    private ImagePuller.PullResult pull(FakeRegistry r, String repoTag, PullOptions o) throws ImageException {
        return new ImagePuller(ImageStore.open(data)).pull(r.host() + "/" + repoTag, o, ProgressListener.NONE);
    }

    @Test
    void pullsAnonymouslyThroughTheBearerFlow() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BEARER, null, null)) {
            TestImages.serve(r, "app", "1", IMAGE);
            ImagePuller.PullResult result = pull(r, "app:1", PullOptions.DEFAULT);
            assertThat(result.layersDownloaded()).isEqualTo(2);
            LocalImage img = result.image();
            assertThat(img.reference()).isEqualTo(r.host() + "/app:1");
            assertThat(img.digest()).isEqualTo(IMAGE.digest());
            assertThat(img.config().cmd()).containsExactly("/bin/hello");
            assertThat(img.config().workingDir()).isEqualTo("/app");
            assertThat(img.layerDirs()).hasSize(2);
            assertThat(Files.readString(img.layerDirs().get(0).resolve("bin/hello"))).isEqualTo("hi\n");
            assertThat(Files.readString(img.layerDirs().get(1).resolve("app/run"))).isEqualTo("run\n");
            FakeRegistry.Seen token = r.requests("GET", "/token").getFirst();
            assertThat(token.query()).contains("scope=repository%3Aapp%3Apull");
            assertThat(token.authorization()).isNull();
            // found again by its name without touching the network
            assertThat(ImageStore.open(data).find(r.host() + "/app:1")).isPresent();
        }
    }

    @Test
    void bearerWithCredentialsAndWrongPassword() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BEARER, "bob", "secret")) {
            TestImages.serve(r, "app", "1", IMAGE);
            assertThat(pull(r, "app:1", PullOptions.DEFAULT.withCredentials(new Credentials("bob", "secret"))).layersDownloaded())
                    .isEqualTo(2);
            assertThatThrownBy(() -> pull(r, "app:1", PullOptions.DEFAULT.withCredentials(new Credentials("bob", "wrong"))))
                    .isInstanceOf(RegistryException.UnauthorizedException.class).hasMessageContaining("refused the credentials of 'bob'");
        }
    }

    @Test
    void basicAuthRegistry() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BASIC, "bob", "secret")) {
            TestImages.serve(r, "app", "1", IMAGE);
            assertThatThrownBy(() -> pull(r, "app:1", PullOptions.DEFAULT)).isInstanceOf(RegistryException.UnauthorizedException.class)
                    .hasMessageContaining("denied access anonymously");
            pull(r, "app:1", PullOptions.DEFAULT.withCredentials(new Credentials("bob", "secret")));
            assertThat(r.requests("GET", "/blobs/").getLast().authorization()).startsWith("Basic ");
        }
    }

    @Test
    void redirectToAnotherHostDropsAuthorization() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BEARER, "bob", "secret")) {
            TestImages.serve(r, "app", "1", IMAGE);
            r.redirectBlobs = true;
            pull(r, "app:1", PullOptions.DEFAULT.withCredentials(new Credentials("bob", "secret")));
            assertThat(r.storageSeen).hasSize(3); // config + 2 layers
            assertThat(r.storageSeen).allSatisfy(s -> assertThat(s.authorization()).isNull());
            assertThat(r.requests("GET", "/blobs/")).allSatisfy(s -> assertThat(s.authorization()).startsWith("Bearer "));
        }
    }

    @Test
    void interruptedDownloadResumesFromThePartialFile() throws Exception {
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        TestImages.Image image = TestImages.image("", new TarBuilder().file("big", new String(big, java.nio.charset.StandardCharsets.ISO_8859_1)).build());
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
            TestImages.serve(r, "big", "1", image);
            // a pull killed earlier left the first part of the layer behind
            byte[] layer = image.layers().getFirst();
            Digest layerDigest = Digest.sha256(layer);
            BlobStore blobs = ImageStore.open(data).blobs();
            Files.createDirectories(blobs.partialPath(layerDigest).getParent());
            Files.write(blobs.partialPath(layerDigest), Arrays.copyOf(layer, 1 << 20));
            // and this time the connection also breaks once in the middle
            r.cutAfter = 512 * 1024;
            pull(r, "big:1", PullOptions.DEFAULT);
            List<FakeRegistry.Seen> gets = r.requests("GET", "/blobs/" + layerDigest);
            assertThat(gets.getFirst().range()).isEqualTo("bytes=" + (1 << 20) + "-");
            assertThat(gets).hasSizeGreaterThanOrEqualTo(2); // the cut attempt, then a resumed one
            assertThat(gets).allSatisfy(g -> assertThat(g.range()).startsWith("bytes="));
            assertThat(Files.readAllBytes(blobs.path(layerDigest))).isEqualTo(layer);
            assertThat(blobs.partialPath(layerDigest)).doesNotExist();
        }
    }

    @Test
    void corruptBlobIsRejectedAndNothingIsStoredOrNamed() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
            TestImages.serve(r, "app", "1", IMAGE);
            Digest bad = Digest.sha256(IMAGE.layers().get(1));
            r.corruptBlob = bad.toString();
            assertThatThrownBy(() -> pull(r, "app:1", PullOptions.DEFAULT)).isInstanceOf(BlobStore.DigestMismatchException.class)
                    .hasMessageContaining("expected " + bad);
            ImageStore store = ImageStore.open(data);
            assertThat(store.blobs().has(bad)).isFalse();
            assertThat(store.blobs().partialPath(bad)).doesNotExist();
            assertThat(store.find(r.host() + "/app:1")).isEmpty();
            r.corruptBlob = null;
            ImagePuller.PullResult again = pull(r, "app:1", PullOptions.DEFAULT);
            assertThat(again.layersCached()).isEqualTo(1); // the good layer from the failed attempt is reused
        }
    }

    @Test
    void tamperedManifestForDigestReferenceIsRejected() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
            TestImages.serve(r, "app", "1", IMAGE);
            String wrong = "sha256:" + "0".repeat(64);
            r.manifests.put("app:" + wrong, IMAGE.manifest());
            r.manifestTypes.put("app:" + wrong, MediaTypes.OCI_MANIFEST);
            assertThatThrownBy(() -> pull(r, "app@" + wrong, PullOptions.DEFAULT))
                    .isInstanceOf(BlobStore.DigestMismatchException.class);
        }
    }

    @Test
    void picksThePlatformFromAnIndex() throws Exception {
        TestImages.Image arm = TestImages.image("\"Cmd\":[\"arm\"]", TOP);
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
            TestImages.serve(r, "multi", "amd", IMAGE);
            TestImages.serve(r, "multi", "arm", arm);
            r.putManifest("multi", "1", TestImages.index(List.of(arm, IMAGE), List.of("arm64", "amd64")), MediaTypes.OCI_INDEX);
            assertThat(pull(r, "multi:1", PullOptions.DEFAULT).image().config().cmd()).containsExactly("/bin/hello");
            assertThat(pull(r, "multi:1", PullOptions.DEFAULT.withPlatform(Platform.parse("linux/arm64"))).image().config().cmd())
                    .containsExactly("arm");
            assertThatThrownBy(() -> pull(r, "multi:1", PullOptions.DEFAULT.withPlatform(Platform.parse("linux/s390x"))))
                    .hasMessageContaining("no variant for platform linux/s390x");
        }
    }

    @Test
    void missingTagIsAClearNotFound() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
            assertThatThrownBy(() -> pull(r, "nope:1", PullOptions.DEFAULT)).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("HTTP 404 (MANIFEST_UNKNOWN: manifest unknown)");
        }
    }

    @Test
    void pushSendsEveryBlobAndTheManifestByteForByteAndMountsAcrossRepositories() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BEARER, null, null)) {
            TestImages.serve(r, "app", "1", IMAGE);
            pull(r, "app:1", PullOptions.DEFAULT);
            ImageStore store = ImageStore.open(data);
            ImagePusher pusher = new ImagePusher(store);
            // same registry, other repository: blobs come by cross-repository mount
            ImagePusher.PushResult res = pusher.push(r.host() + "/app:1", r.host() + "/copy:2", false, null, ProgressListener.NONE);
            assertThat(res.digest()).isEqualTo(IMAGE.digest().toString());
            assertThat(r.manifests.get("copy:2")).isEqualTo(IMAGE.manifest());
            assertThat(r.requests("POST", "/v2/copy/blobs/uploads/")).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.query()).contains("mount=sha256"));
            // a fresh registry gets real uploads
            try (FakeRegistry other = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
                pusher.push(r.host() + "/app:1", other.host() + "/app:1", false, null, ProgressListener.NONE);
                assertThat(other.blobs).containsKeys(Digest.sha256(IMAGE.config()).toString(),
                        Digest.sha256(IMAGE.layers().get(0)).toString(), Digest.sha256(IMAGE.layers().get(1)).toString());
                assertThat(other.manifests.get("app:1")).isEqualTo(IMAGE.manifest());
            }
        }
    }
}
