package dev.pelagos.image.testing;

import dev.pelagos.image.manifest.MediaTypes;
import dev.pelagos.image.ref.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small images built in memory: layers (gzip'd tars), config and manifest with consistent digests. */
public final class TestImages {
    /** One image ready to serve: its blobs and manifest. */
    public record Image(byte[] manifest, byte[] config, List<byte[]> layers, List<byte[]> tars) {
        public Digest digest() {
            return Digest.sha256(manifest);
        }
    }

    private TestImages() {
    }

    public static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Image image(String configExtra, byte[]... tars) {
        List<byte[]> layers = new ArrayList<>();
        StringBuilder diffIds = new StringBuilder();
        StringBuilder layerJson = new StringBuilder();
        for (byte[] tar : tars) {
            byte[] gz = gzip(tar);
            layers.add(gz);
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(Digest.sha256(tar)).append('"');
            layerJson.append(layerJson.isEmpty() ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_LAYER_GZIP)
                    .append("\",\"digest\":\"").append(Digest.sha256(gz)).append("\",\"size\":").append(gz.length).append('}');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{" + configExtra + "},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[" + layerJson + "]}").getBytes(StandardCharsets.UTF_8);
        return new Image(manifest, config, layers, List.of(tars));
    }

    /** Serves an image from a fake registry under repo:tag. */
    public static void serve(FakeRegistry registry, String repo, String tag, Image image) {
        registry.putBlob(repo, image.config());
        image.layers().forEach(l -> registry.putBlob(repo, l));
        registry.putManifest(repo, tag, image.manifest(), MediaTypes.OCI_MANIFEST);
    }

    /** An OCI index with one entry per (image, architecture) pair. */
    public static byte[] index(List<Image> images, List<String> architectures) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            entries.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
                    .append("\",\"digest\":\"").append(im.digest()).append("\",\"size\":").append(im.manifest().length)
                    .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"").append(architectures.get(i)).append("\"}}");
        }
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + entries + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
