package dev.pelagos.image.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.image.ImagePuller;
import dev.pelagos.image.ImagePusher;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.LocalImage;
import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.PullOptions;
import dev.pelagos.image.archive.ImageLoader;
import dev.pelagos.image.archive.ImageSaver;
import dev.pelagos.image.registry.Credentials;
import dev.pelagos.image.registry.RegistryClient;
import dev.pelagos.image.registry.RegistryException;
import dev.pelagos.image.testing.BusyboxImages;
import dev.pelagos.image.testing.LocalRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pelagos against real peers: a Debian docker-registry on loopback, images pushed by skopeo, our
 * pushes read by skopeo, our saves loaded by podman and unpacked by umoci, podman's Docker archives
 * loaded by us. A failure means we do not interoperate with the tools users already have.
 */
class RegistryInteropIT {
    @TempDir
    static Path work;
    static LocalRegistry registry;
    static Path layout;

    @BeforeAll
    static void startRegistryAndPushBusybox() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(work.resolve("registry")), null, null);
        layout = BusyboxImages.build(Files.createDirectories(work.resolve("image")), "1", List.of(256L * 1024));
        BusyboxImages.push(layout, "1", registry.host() + "/busy:1", null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private static ImageStore freshStore(String name) throws Exception {
        return ImageStore.open(Files.createDirectories(work.resolve("stores").resolve(name)));
    }

    @Test
    void skopeoPushedImageIsPulledAndItsBusyboxRuns() throws Exception {
        ImageStore store = freshStore("pull");
        ImagePuller.PullResult r = new ImagePuller(store).pull(registry.host() + "/busy:1", PullOptions.DEFAULT, ProgressListener.NONE);
        LocalImage img = r.image();
        assertThat(img.layerDirs()).hasSize(2);
        Path busybox = img.layerDirs().getFirst().resolve("bin/busybox");
        assertThat(Files.isExecutable(busybox)).isTrue();
        assertThat(LocalRegistry.run(List.of(busybox.toString(), "echo", "hello from the layer"))).contains("hello from the layer");
        assertThat(Files.readSymbolicLink(img.layerDirs().getFirst().resolve("bin/sh")).toString()).isEqualTo("busybox");
        assertThat(img.config().workingDir()).isEqualTo("/root");
        // pulling again downloads nothing
        assertThat(new ImagePuller(store).pull(registry.host() + "/busy:1", PullOptions.DEFAULT, ProgressListener.NONE)
                .layersDownloaded()).isZero();
    }

    @Test
    void imagesPushedByPelagosAreReadBySkopeo() throws Exception {
        ImageStore store = freshStore("push");
        LocalImage img = new ImagePuller(store).pull(registry.host() + "/busy:1", PullOptions.DEFAULT, ProgressListener.NONE).image();
        new ImagePusher(store).push(img.reference(), registry.host() + "/pushed/busy:2", false, null, ProgressListener.NONE);
        String inspect = LocalRegistry.run(List.of("skopeo", "inspect", "--tls-verify=false", "docker://" + registry.host()
                + "/pushed/busy:2"));
        assertThat(inspect).contains("\"Digest\": \"" + img.digest() + "\"");
        Path copy = work.resolve("skopeo-copy");
        LocalRegistry.run(List.of("skopeo", "copy", "--src-tls-verify=false", "docker://" + registry.host() + "/pushed/busy:2",
                "oci:" + copy + ":2"));
        assertThat(copy.resolve("index.json")).exists();
    }

    @Test
    void savedArchiveLoadsInPodmanUnpacksWithUmociAndPodmanDockerArchiveLoadsBack() throws Exception {
        LocalRegistry.requireTool("/usr/bin/podman");
        LocalRegistry.requireTool("/usr/bin/umoci");
        ImageStore store = freshStore("save");
        LocalImage img = new ImagePuller(store).pull(registry.host() + "/busy:1", PullOptions.DEFAULT, ProgressListener.NONE).image();
        Path archive = work.resolve("busy.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            new ImageSaver(store).save(List.of(img.reference()), out);
        }
        // umoci reads the layout (unpacked from the tar) and builds a runtime bundle from it
        Path unpackedLayout = Files.createDirectories(work.resolve("umoci-layout"));
        LocalRegistry.run(List.of("tar", "-C", unpackedLayout.toString(), "-xf", archive.toString()));
        Path bundle = work.resolve("umoci-bundle");
        LocalRegistry.run(List.of("umoci", "unpack", "--image", unpackedLayout + ":" + img.reference(), bundle.toString()));
        assertThat(Files.isExecutable(bundle.resolve("rootfs/bin/busybox"))).isTrue();
        // podman with its own storage: load our archive, then save it as a Docker archive for us
        Path podmanRoot = work.resolve("podman");
        List<String> podman = List.of("podman", "--root", podmanRoot.resolve("root").toString(), "--runroot",
                podmanRoot.resolve("runroot").toString(), "--cgroup-manager=cgroupfs", "--events-backend=file",
                "--storage-driver=vfs");
        List<String> load = new ArrayList<>(podman);
        load.addAll(List.of("load", "-i", archive.toString()));
        assertThat(LocalRegistry.run(load)).contains("Loaded image");
        Path dockerArchive = work.resolve("docker-archive.tar");
        List<String> save = new ArrayList<>(podman);
        save.addAll(List.of("save", "--format", "docker-archive", "-o", dockerArchive.toString(), img.reference()));
        LocalRegistry.run(save);
        ImageStore other = freshStore("docker-archive");
        List<String> names;
        try (InputStream in = Files.newInputStream(dockerArchive)) {
            names = new ImageLoader(other).load(in, null, ProgressListener.NONE);
        }
        assertThat(names).hasSize(1);
        LocalImage loaded = other.get(names.getFirst());
        assertThat(loaded.diffIds()).isEqualTo(img.diffIds());
        assertThat(Files.isExecutable(loaded.layerDirs().getFirst().resolve("bin/busybox"))).isTrue();
    }

    @Test
    void concurrentPullsOfTheSameImageAreSafe() throws Exception {
        ImageStore store = freshStore("concurrent");
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<ImagePuller.PullResult>> jobs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                jobs.add(pool.submit(() -> new ImagePuller(ImageStore.open(store.layoutRoot().getParent()))
                        .pull(registry.host() + "/busy:1", PullOptions.DEFAULT, ProgressListener.NONE)));
            }
            for (Future<ImagePuller.PullResult> j : jobs) {
                assertThat(j.get().image().layerDirs()).allSatisfy(d -> assertThat(d).isDirectory());
            }
        }
        assertThat(store.list()).hasSize(1);
        assertThat(store.layers().all()).hasSize(2);
    }

    @Test
    void htpasswdRegistryLoginPullPushAndWrongPassword() throws Exception {
        try (LocalRegistry secured = LocalRegistry.start(Files.createDirectories(work.resolve("secured")), "alice", "s3cret")) {
            BusyboxImages.push(layout, "1", secured.host() + "/private/busy:1", "alice:s3cret");
            RegistryClient.login(secured.host(), false, new Credentials("alice", "s3cret"));
            assertThatThrownBy(() -> RegistryClient.login(secured.host(), false, new Credentials("alice", "nope")))
                    .isInstanceOf(RegistryException.UnauthorizedException.class)
                    .hasMessageContaining("denied access as 'alice'");
            ImageStore store = freshStore("secured");
            assertThatThrownBy(() -> new ImagePuller(store).pull(secured.host() + "/private/busy:1", PullOptions.DEFAULT,
                    ProgressListener.NONE)).isInstanceOf(RegistryException.UnauthorizedException.class);
            Credentials alice = new Credentials("alice", "s3cret");
            LocalImage img = new ImagePuller(store).pull(secured.host() + "/private/busy:1",
                    PullOptions.DEFAULT.withCredentials(alice), ProgressListener.NONE).image();
            new ImagePusher(store).push(img.reference(), secured.host() + "/private/copy:1", false, alice, ProgressListener.NONE);
            assertThat(LocalRegistry.run(List.of("skopeo", "inspect", "--tls-verify=false", "--creds=alice:s3cret",
                    "docker://" + secured.host() + "/private/copy:1"))).contains(img.digest().toString());
        }
    }
}
