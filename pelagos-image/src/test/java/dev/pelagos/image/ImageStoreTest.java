package dev.pelagos.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.image.archive.ImageLoader;
import dev.pelagos.image.archive.ImageSaver;
import dev.pelagos.image.archive.RootfsImporter;
import dev.pelagos.image.layer.InvalidArchiveException;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.testing.FakeRegistry;
import dev.pelagos.image.testing.TarBuilder;
import dev.pelagos.image.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Naming, removal, prune, save/load and import on the local store. */
class ImageStoreTest {
    @TempDir
    Path data;
    @TempDir
    Path other;

    private static final byte[] SHARED = new TarBuilder().file("shared", "s").build();
    private static final TestImages.Image ONE = TestImages.image("\"Cmd\":[\"one\"]", SHARED, new TarBuilder().file("a", "1").build());
    private static final TestImages.Image TWO = TestImages.image("\"Cmd\":[\"two\"]", SHARED, new TarBuilder().file("b", "2").build());

    private String pullBoth(FakeRegistry r) throws ImageException {
        TestImages.serve(r, "one", "1", ONE);
        TestImages.serve(r, "two", "1", TWO);
        ImagePuller p = new ImagePuller(ImageStore.open(data));
        p.pull(r.host() + "/one:1", PullOptions.DEFAULT, ProgressListener.NONE);
        p.pull(r.host() + "/two:1", PullOptions.DEFAULT, ProgressListener.NONE);
        return r.host();
    }

    @Test
    void tagResolvesLocalNamesBeforeRegistryNames() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
            String host = pullBoth(r);
            ImageStore store = ImageStore.open(data);
            assertThat(store.tag(host + "/one:1", "myapp")).isEqualTo("myapp:latest");
            assertThat(store.get("myapp").digest()).isEqualTo(ONE.digest());
            assertThat(store.get("myapp:latest").config().cmd()).containsExactly("one");
            assertThat(store.find("docker.io/library/myapp")).isEmpty();
            assertThat(store.get(ONE.digest().hex().substring(0, 12)).digest()).isEqualTo(ONE.digest());
            assertThatThrownBy(() -> store.tag("nope", "x")).hasMessageContaining("not found locally");
            assertThatThrownBy(() -> store.tag("myapp", "Bad Name")).hasMessageContaining("invalid image name");
        }
    }

    @Test
    void pruneNeverRemovesLayersStillUsedByAnotherImage() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
            String host = pullBoth(r);
            ImageStore store = ImageStore.open(data);
            LocalImage two = store.get(host + "/two:1");
            LocalImage one = store.get(host + "/one:1");
            assertThat(one.layerDirs().getFirst()).isEqualTo(two.layerDirs().getFirst()); // shared unpacked layer
            assertThat(store.remove(host + "/one:1")).isEqualTo(host + "/one:1");
            ImageStore.PruneResult pruned = store.prune(false, Set.of());
            assertThat(pruned.layers()).isEqualTo(1);
            assertThat(two.layerDirs()).allSatisfy(d -> assertThat(d).isDirectory());
            assertThat(one.layerDirs().get(1)).doesNotExist();
            assertThat(store.blobs().has(ONE.digest())).isFalse();
            assertThat(store.get(host + "/two:1").config().cmd()).containsExactly("two");
            assertThat(store.prune(true, Set.of(host + "/two:1")).images()).isEmpty();
            assertThat(store.prune(true, Set.of()).images()).containsExactly(host + "/two:1");
            assertThat(store.list()).isEmpty();
            assertThat(store.diskUsage().layerBytes()).isZero();
        }
    }

    @Test
    void saveThenLoadIntoAnotherStoreGivesTheSameImage() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE, null, null)) {
            String host = pullBoth(r);
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            new ImageSaver(ImageStore.open(data)).save(List.of(host + "/one:1"), tar);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            new ImageSaver(ImageStore.open(data)).save(List.of(host + "/one:1"), again);
            assertThat(again.toByteArray()).isEqualTo(tar.toByteArray()); // reproducible
            ImageStore target = ImageStore.open(other);
            List<String> names = new ImageLoader(target).load(new ByteArrayInputStream(tar.toByteArray()), null, ProgressListener.NONE);
            assertThat(names).containsExactly(host + "/one:1");
            LocalImage loaded = target.get(host + "/one:1");
            assertThat(loaded.digest()).isEqualTo(ONE.digest());
            assertThat(Files.readString(loaded.layerDirs().get(1).resolve("a"))).isEqualTo("1");
            new ImageLoader(target).load(new ByteArrayInputStream(tar.toByteArray()), "renamed:v2", ProgressListener.NONE);
            assertThat(target.get("renamed:v2").digest()).isEqualTo(ONE.digest());
        }
    }

    @Test
    void loadRejectsNonLayoutsAndTamperedBlobs() throws Exception {
        byte[] notLayout = new TarBuilder().file("hello.txt", "x").build();
        assertThatThrownBy(() -> new ImageLoader(ImageStore.open(data)).load(new ByteArrayInputStream(notLayout), null,
                ProgressListener.NONE)).hasMessageContaining("missing 'oci-layout'");
        String fake = "sha256:" + "a".repeat(64);
        byte[] tampered = new TarBuilder().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}")
                .file("blobs/sha256/" + "a".repeat(64), "not what the name says").build();
        assertThatThrownBy(() -> new ImageLoader(ImageStore.open(data)).load(new ByteArrayInputStream(tampered), null,
                ProgressListener.NONE)).hasMessageContaining("expected " + fake);
        assertThat(ImageStore.open(data).blobs().has(Digest.parse(fake))).isFalse();
        byte[] escaping = new TarBuilder().file("../../etc/evil.json", "{}").build();
        assertThatThrownBy(() -> new ImageLoader(ImageStore.open(data)).load(new ByteArrayInputStream(escaping), null,
                ProgressListener.NONE)).isInstanceOf(InvalidArchiveException.class);
    }

    @Test
    void loadsADockerArchive() throws Exception {
        byte[] layer = new TarBuilder().file("etc/hostname", "docker").build();
        String diffId = Digest.sha256(layer).toString();
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + diffId + "\"]}}";
        String manifest = "[{\"Config\":\"cfg.json\",\"RepoTags\":[\"localhost/busy:1\"],\"Layers\":[\"abc/layer.tar\"]}]";
        byte[] archive = new TarBuilder().file("manifest.json", manifest).file("cfg.json", config)
                .file("abc/layer.tar", new String(layer, java.nio.charset.StandardCharsets.ISO_8859_1)).build();
        ImageStore store = ImageStore.open(data);
        assertThat(new ImageLoader(store).load(new ByteArrayInputStream(archive), null, ProgressListener.NONE))
                .containsExactly("localhost/busy:1");
        LocalImage img = store.get("localhost/busy:1");
        assertThat(Files.readString(img.layerDirs().getFirst().resolve("etc/hostname"))).isEqualTo("docker");
        assertThat(img.config().cmd()).containsExactly("sh");
    }

    @Test
    void importsARootfsTarball() throws Exception {
        Path tarball = other.resolve("rootfs.tar.gz");
        Files.write(tarball, TestImages.gzip(new TarBuilder().dir("bin").file("bin/sh", "#!", 0755).build()));
        ImageStore store = ImageStore.open(data);
        LocalImage img = new RootfsImporter(store).importTar(tarball, "imported", ProgressListener.NONE);
        assertThat(img.reference()).isEqualTo("imported:latest");
        assertThat(Files.readString(img.layerDirs().getFirst().resolve("bin/sh"))).isEqualTo("#!");
        assertThat(img.config().env()).anyMatch(e -> e.startsWith("PATH="));
        assertThatThrownBy(() -> new RootfsImporter(store).importTar(other.resolve("missing.tar"), "x", ProgressListener.NONE))
                .hasMessageContaining("not found");
    }

    @Test
    void layerWithWrongDiffIdIsNotKept() throws Exception {
        byte[] real = new TarBuilder().file("x", "1").build();
        Digest claimed = Digest.sha256(new TarBuilder().file("x", "2").build());
        ImageStore store = ImageStore.open(data);
        assertThatThrownBy(() -> store.layers().unpack(claimed, () -> new ByteArrayInputStream(real), "layer"))
                .hasMessageContaining("unpacks to " + Digest.sha256(real));
        assertThat(store.layers().has(claimed)).isFalse();
        assertThat(data.resolve("layers/.tmp-" + claimed.hex())).doesNotExist();
    }
}
