package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cli.it.Pelagos;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.archive.ImageLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local images for the tests, made without a registry: the busybox fixture plus a few files (e.g.
 * {@code /data/seed.txt}, content a new volume must be seeded with), packed as a one-layer OCI image
 * layout archive with a chosen image config (Cmd, Healthcheck) and loaded into a test's data directory
 * through the image library. Busybox applets become hard links, because the importer currently
 * fails on symlinked applets (a known image-module bug).
 */
public final class TestImages {
    private TestImages() {
    }

    /**
     * Loads {@code name} into {@code pelagos}'s data directory.
     *
     * @param extraConfig JSON members added to the image's "config" object (e.g. a Healthcheck), or ""
     */
    public static void loadBusybox(Pelagos pelagos, Path tmp, String name, String extraConfig) throws Exception {
        Path work = Files.createTempDirectory(tmp, "image-");
        Path root = work.resolve("rootfs");
        run(List.of("cp", "-a", Pelagos.busyboxRootfs().toString(), root.toString()));
        hardLinkApplets(root);
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/seed.txt"), "seeded from the image\n");
        Path layer = work.resolve("layer.tar");
        run(List.of("tar", "-C", root.toString(), "--numeric-owner", "--sort=name", "-cf", layer.toString(), "."));

        Path layout = work.resolve("layout");
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        String layerHex = sha256(layer);
        Files.move(layer, blobs.resolve(layerHex));
        long layerSize = Files.size(blobs.resolve(layerHex));
        String config = """
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],\
                "Cmd":["/bin/sh"]%s},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}"""
                .formatted(extraConfig.isEmpty() ? "" : "," + extraConfig, layerHex);
        String configHex = put(blobs, config);
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}"""
                .formatted(configHex, config.getBytes(StandardCharsets.UTF_8).length, layerHex, layerSize);
        String manifestHex = put(blobs, manifest);
        Files.writeString(layout.resolve("index.json"), """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "digest":"sha256:%s","size":%d}]}""".formatted(manifestHex, manifest.getBytes(StandardCharsets.UTF_8).length));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Path archive = work.resolve("image.tar");
        run(List.of("tar", "-C", layout.toString(), "-cf", archive.toString(), "oci-layout", "index.json", "blobs"));
        try (InputStream in = Files.newInputStream(archive)) {
            List<String> loaded = new ImageLoader(ImageStore.open(pelagos.dataDir())).load(in, name, ProgressListener.NONE);
            assertThat(loaded).as("images loaded from the test archive").isNotEmpty();
        }
        run(List.of("rm", "-rf", work.toString()));
    }

    private static void hardLinkApplets(Path root) throws IOException {
        Path busybox = root.resolve("bin/busybox");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isSymbolicLink).toList()) {
                if (Files.readSymbolicLink(p).toString().endsWith("busybox") && Files.exists(busybox, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                    Files.createLink(p, busybox);
                }
            }
        }
    }

    private static String put(Path blobs, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        String hex = HexFormat.of().formatHex(digest().digest(b));
        Files.write(blobs.resolve(hex), b);
        return hex;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", command, out).isZero();
    }
}
