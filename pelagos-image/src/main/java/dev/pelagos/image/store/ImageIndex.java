package dev.pelagos.image.store;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.base.AtomicFiles;
import dev.pelagos.image.ImageException;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.manifest.ManifestParser;
import dev.pelagos.image.manifest.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of local images: the OCI layout's {@code index.json}, one manifest descriptor per
 * name with the name in {@code org.opencontainers.image.ref.name}. Updated under a lock with
 * write-temp-and-rename, so readers never see a torn file and concurrent writers don't lose
 * each other's names.
 */
public final class ImageIndex {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The registry repository an image came from, so push can mount its blobs cross-repository. */
    public static final String SOURCE = "dev.pelagos.image.source";
    /** When the name was recorded (ISO-8601). */
    public static final String RECORDED = "dev.pelagos.image.recorded";

    private final Path file;
    private final Path lockFile;

    public ImageIndex(Path layoutRoot) {
        this.file = layoutRoot.resolve("index.json");
        this.lockFile = layoutRoot.resolve(".locks").resolve("index.lock");
    }

    public List<Descriptor> entries() throws ImageException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw ImageException.io("read the image index " + file, e);
        }
        JsonElement json = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
        List<Descriptor> out = new ArrayList<>();
        if (json.isJsonObject() && json.getAsJsonObject().get("manifests") instanceof JsonArray a) {
            for (JsonElement e : a) {
                out.add(ManifestParser.descriptor(e, "image index " + file));
            }
        }
        return out;
    }

    /** A change to the list of entries, applied under the index lock. */
    @FunctionalInterface
    public interface Update {
        List<Descriptor> apply(List<Descriptor> current) throws ImageException;
    }

    public void update(Update update) throws ImageException {
        try (LockFile _ = LockFile.exclusive(lockFile)) {
            List<Descriptor> next = update.apply(new ArrayList<>(entries()));
            AtomicFiles.write(file, toJson(next));
        } catch (IOException e) {
            throw ImageException.io("update the image index " + file, e);
        }
    }

    /** Points {@code name} at {@code manifest}, replacing what the name pointed at before. */
    public void put(String name, Descriptor manifest, Map<String, String> extraAnnotations) throws ImageException {
        Map<String, String> ann = new LinkedHashMap<>(extraAnnotations);
        ann.put(REF_NAME, name);
        ann.putIfAbsent(RECORDED, java.time.Instant.now().toString());
        Descriptor entry = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), null, List.of(), ann);
        update(current -> {
            current.removeIf(d -> name.equals(d.annotations().get(REF_NAME)));
            current.add(entry);
            return current;
        });
    }

    public static String toJson(List<Descriptor> entries) {
        JsonObject o = new JsonObject();
        o.addProperty("schemaVersion", 2);
        o.addProperty("mediaType", MediaTypes.OCI_INDEX);
        JsonArray manifests = new JsonArray();
        for (Descriptor d : entries) {
            manifests.add(descriptorJson(d));
        }
        o.add("manifests", manifests);
        return o.toString();
    }

    public static JsonObject descriptorJson(Descriptor d) {
        JsonObject m = new JsonObject();
        m.addProperty("mediaType", d.mediaType());
        m.addProperty("digest", d.digest().toString());
        m.addProperty("size", d.size());
        if (d.platform() != null) {
            JsonObject p = new JsonObject();
            p.addProperty("architecture", d.platform().architecture());
            p.addProperty("os", d.platform().os());
            if (!d.platform().variant().isEmpty()) {
                p.addProperty("variant", d.platform().variant());
            }
            m.add("platform", p);
        }
        if (!d.annotations().isEmpty()) {
            JsonObject a = new JsonObject();
            d.annotations().forEach(a::addProperty);
            m.add("annotations", a);
        }
        return m;
    }
}
