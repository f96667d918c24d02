package dev.pelagos.image.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pelagos.image.ImageConfig;
import dev.pelagos.image.ImageException;
import dev.pelagos.image.ref.Digest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image configuration blob, translated: the run config, the layer diff-ids (digests of the
 * uncompressed layer tars, bottom to top) and the build history.
 */
public record ConfigDocument(ImageConfig config, List<Digest> diffIds, String os, String architecture, String created,
        List<HistoryEntry> history) {

    /** One build step as recorded in the config. */
    public record HistoryEntry(String created, String createdBy, boolean emptyLayer, String comment) {
    }

    public static ConfigDocument parse(byte[] raw, String what) throws ImageException {
        JsonObject json = ManifestParser.parseObject(raw, what);
        JsonObject c = json.has("config") && json.get("config").isJsonObject() ? json.getAsJsonObject("config")
                : json.has("container_config") && json.get("container_config").isJsonObject()
                        ? json.getAsJsonObject("container_config") : new JsonObject();
        ImageConfig config = new ImageConfig(strings(c, "Env"), strings(c, "Entrypoint"), strings(c, "Cmd"),
                ManifestParser.stringOrNull(c, "WorkingDir"), ManifestParser.stringOrNull(c, "User"), keys(c, "ExposedPorts"),
                ManifestParser.stringOrNull(c, "StopSignal"), healthcheck(c), keys(c, "Volumes"), labels(c));
        List<Digest> diffIds = new ArrayList<>();
        if (json.has("rootfs") && json.get("rootfs").isJsonObject()) {
            JsonElement ids = json.getAsJsonObject("rootfs").get("diff_ids");
            if (ids != null && ids.isJsonArray()) {
                for (JsonElement id : ids.getAsJsonArray()) {
                    diffIds.add(Digest.parse(id.isJsonPrimitive() ? id.getAsString() : null));
                }
            }
        }
        List<HistoryEntry> history = new ArrayList<>();
        if (json.has("history") && json.get("history").isJsonArray()) {
            for (JsonElement h : json.getAsJsonArray("history")) {
                if (h.isJsonObject()) {
                    JsonObject o = h.getAsJsonObject();
                    history.add(new HistoryEntry(ManifestParser.stringOrNull(o, "created"),
                            ManifestParser.stringOrNull(o, "created_by"),
                            o.has("empty_layer") && o.get("empty_layer").isJsonPrimitive() && o.get("empty_layer").getAsBoolean(),
                            ManifestParser.stringOrNull(o, "comment")));
                }
            }
        }
        return new ConfigDocument(config, diffIds, ManifestParser.stringOrNull(json, "os"),
                ManifestParser.stringOrNull(json, "architecture"), ManifestParser.stringOrNull(json, "created"), history);
    }

    private static List<String> strings(JsonObject o, String key) {
        List<String> out = new ArrayList<>();
        JsonElement e = o.get(key);
        if (e != null && e.isJsonArray()) {
            for (JsonElement s : e.getAsJsonArray()) {
                if (s.isJsonPrimitive()) {
                    out.add(s.getAsString());
                }
            }
        } else if (e != null && e.isJsonPrimitive()) {
            out.add(e.getAsString());
        }
        return out;
    }

    private static List<String> keys(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? new ArrayList<>(e.getAsJsonObject().keySet()) : List.of();
    }

    private static Map<String, String> labels(JsonObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonElement e = o.get("Labels");
        if (e != null && e.isJsonObject()) {
            e.getAsJsonObject().entrySet().forEach(en -> {
                if (en.getValue().isJsonPrimitive()) {
                    out.put(en.getKey(), en.getValue().getAsString());
                }
            });
        }
        return out;
    }

    /** Docker's semantics: NONE disables, CMD-SHELL runs through /bin/sh -c, durations are nanoseconds. */
    private static ImageConfig.Healthcheck healthcheck(JsonObject c) {
        JsonElement e = c.get("Healthcheck");
        if (e == null || !e.isJsonObject()) {
            return null;
        }
        JsonObject h = e.getAsJsonObject();
        List<String> test = strings(h, "Test");
        if (test.isEmpty() || test.getFirst().equals("NONE")) {
            return null;
        }
        List<String> command = switch (test.getFirst()) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> test;
        };
        if (command.isEmpty()) {
            return null;
        }
        return new ImageConfig.Healthcheck(command, nanos(h, "Interval", 30), nanos(h, "Timeout", 30),
                nanos(h, "StartPeriod", 0), h.has("Retries") && h.get("Retries").getAsInt() > 0 ? h.get("Retries").getAsInt() : 3);
    }

    private static Duration nanos(JsonObject h, String key, long defaultSeconds) {
        JsonElement e = h.get(key);
        long n = e != null && e.isJsonPrimitive() ? e.getAsLong() : 0;
        return n > 0 ? Duration.ofNanos(n) : Duration.ofSeconds(defaultSeconds);
    }

    /** Builds a minimal config for an imported root filesystem. */
    public static String minimalJson(List<Digest> diffIds, String created, String createdBy) {
        JsonObject o = new JsonObject();
        o.addProperty("created", created);
        o.addProperty("architecture", "amd64");
        o.addProperty("os", "linux");
        JsonObject config = new JsonObject();
        JsonArray env = new JsonArray();
        env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        config.add("Env", env);
        o.add("config", config);
        JsonObject rootfs = new JsonObject();
        rootfs.addProperty("type", "layers");
        JsonArray ids = new JsonArray();
        diffIds.forEach(d -> ids.add(d.toString()));
        rootfs.add("diff_ids", ids);
        o.add("rootfs", rootfs);
        JsonArray history = new JsonArray();
        JsonObject step = new JsonObject();
        step.addProperty("created", created);
        step.addProperty("created_by", createdBy);
        history.add(step);
        o.add("history", history);
        return o.toString();
    }
}
