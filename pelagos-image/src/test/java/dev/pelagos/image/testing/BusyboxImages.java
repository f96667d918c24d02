package dev.pelagos.image.testing;

import dev.pelagos.image.manifest.MediaTypes;
import dev.pelagos.image.ref.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an OCI image layout on disk from a busybox-static root filesystem, with deterministic
 * tars ({@code tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner}) and {@code gzip -n}
 * layers, so skopeo can push it to a registry.
 */
public final class BusyboxImages {
    private BusyboxImages() {
    }

    /**
     * Writes an OCI layout at {@code layout} with tag {@code tag}: layer 1 = busybox rootfs,
     * further layers = one file each from {@code extraFiles} (name → bytes-producing size).
     */
    public static Path build(Path work, String tag, List<Long> extraLayerSizes) throws Exception {
        LocalRegistry.requireTool("/bin/busybox");
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : new String[] {"sh", "ls", "cat", "echo", "true", "env"}) {
            Files.createSymbolicLink(rootfs.resolve("bin/" + applet), Path.of("busybox"));
        }
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        for (String d : new String[] {"dev", "proc", "sys", "tmp", "root"}) {
            Files.createDirectories(rootfs.resolve(d));
        }
        List<Path> tars = new ArrayList<>();
        tars.add(tar(rootfs, work.resolve("layer0.tar")));
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < extraLayerSizes.size(); i++) {
            Path dir = Files.createDirectories(work.resolve("extra" + i).resolve("data"));
            byte[] content = new byte[(int) (long) extraLayerSizes.get(i)];
            random.nextBytes(content);
            Files.write(dir.resolve("blob" + i), content);
            tars.add(tar(dir.getParent(), work.resolve("layer" + (i + 1) + ".tar")));
        }
        Path layout = Files.createDirectories(work.resolve("layout"));
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        StringBuilder diffIds = new StringBuilder();
        StringBuilder layers = new StringBuilder();
        for (Path t : tars) {
            Digest diffId = sha256(t);
            LocalRegistry.run(List.of("gzip", "-n", "-1", "-k", t.toString()));
            Path gz = Path.of(t + ".gz");
            Digest digest = sha256(gz);
            Files.move(gz, blobs.resolve(digest.hex()));
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(diffId).append('"');
            layers.append(layers.isEmpty() ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_LAYER_GZIP)
                    .append("\",\"digest\":\"").append(digest).append("\",\"size\":").append(Files.size(blobs.resolve(digest.hex())))
                    .append('}');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"/bin/sh\"],"
                + "\"WorkingDir\":\"/root\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]},"
                + "\"history\":[{\"created_by\":\"busybox rootfs\"}]}").getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(Digest.sha256(config).hex()), config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[" + layers + "]}").getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(Digest.sha256(manifest).hex()), manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256(manifest) + "\",\"size\":" + manifest.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
        return layout;
    }

    private static Path tar(Path dir, Path out) throws IOException, InterruptedException {
        LocalRegistry.run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                "-C", dir.toString(), "-cf", out.toString(), "."));
        return out;
    }

    private static Digest sha256(Path p) throws IOException {
        java.security.MessageDigest h = Digest.newSha256();
        try (var in = new java.security.DigestInputStream(Files.newInputStream(p), h)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Digest.ofSha256(h);
    }

    /** Pushes an OCI layout to a registry with skopeo. */
    public static void push(Path layout, String tag, String destination, String creds) throws Exception {
        LocalRegistry.requireTool("/usr/bin/skopeo");
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--dest-tls-verify=false"));
        if (creds != null) {
            cmd.add("--dest-creds=" + creds);
        }
        cmd.add("oci:" + layout + ":" + tag);
        cmd.add("docker://" + destination);
        LocalRegistry.run(cmd);
    }
}
