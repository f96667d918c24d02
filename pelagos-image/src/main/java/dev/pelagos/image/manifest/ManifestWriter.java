package dev.pelagos.image.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pelagos.image.store.ImageIndex;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Serialises image manifests we create ourselves (import, docker-archive load). */
public final class ManifestWriter {
    private ManifestWriter() {
    }

    /** A manifest of {@code mediaType} (OCI or Docker schema 2) for a config and layers. */
    public static byte[] manifest(String mediaType, Descriptor config, List<Descriptor> layers) {
        JsonObject o = new JsonObject();
        o.addProperty("schemaVersion", 2);
        o.addProperty("mediaType", mediaType);
        o.add("config", plain(config));
        JsonArray ls = new JsonArray();
        layers.forEach(l -> ls.add(plain(l)));
        o.add("layers", ls);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject plain(Descriptor d) {
        return ImageIndex.descriptorJson(new Descriptor(d.mediaType(), d.digest(), d.size(), null, List.of(), d.annotations()));
    }
}
