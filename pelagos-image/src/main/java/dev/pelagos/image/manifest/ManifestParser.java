package dev.pelagos.image.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.ImageException;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.ref.Platform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads manifests and indexes, refusing ambiguous documents (CVE-2021-41190): a document that
 * carries both {@code manifests} and {@code config}/{@code layers} is rejected, and the declared
 * {@code mediaType} must agree with the HTTP Content-Type when both are present.
 */
public final class ManifestParser {
    private ManifestParser() {
    }

    /**
     * @param contentType the Content-Type the registry sent, or null when read from disk
     * @param what names the document in error messages, e.g. "manifest of alpine:3.20"
     */
    public static ManifestDocument parse(byte[] raw, String contentType, String what) throws ImageException {
        JsonObject json = parseObject(raw, what);
        boolean hasManifests = json.has("manifests");
        boolean hasImageParts = json.has("config") || json.has("layers");
        if (hasManifests && hasImageParts) {
            throw invalid(what, "it has both 'manifests' and 'config'/'layers' (ambiguous document)");
        }
        JsonElement schema = json.get("schemaVersion");
        if (schema == null || !schema.isJsonPrimitive() || schema.getAsInt() != 2) {
            throw invalid(what, "schemaVersion must be 2 (schema 1 manifests are not supported)");
        }
        String declared = stringOrNull(json, "mediaType");
        String type = mediaTypeOf(declared, stripParams(contentType), hasManifests, hasImageParts, what);
        if (MediaTypes.isIndex(type)) {
            if (!hasManifests) {
                throw invalid(what, "an index needs 'manifests'");
            }
            List<Descriptor> entries = new ArrayList<>();
            for (JsonElement e : array(json, "manifests", what)) {
                entries.add(descriptor(e, what));
            }
            return new ManifestDocument.Index(type, entries, raw);
        }
        if (!json.has("config") || !json.has("layers")) {
            throw invalid(what, "a manifest needs 'config' and 'layers'");
        }
        Descriptor config = descriptor(json.get("config"), what);
        List<Descriptor> layers = new ArrayList<>();
        for (JsonElement e : array(json, "layers", what)) {
            layers.add(descriptor(e, what));
        }
        return new ManifestDocument.ImageManifest(type, config, layers, raw);
    }

    private static String mediaTypeOf(String declared, String contentType, boolean hasManifests, boolean hasImageParts,
            String what) throws ImageException {
        boolean usefulHeader = contentType != null && (MediaTypes.isIndex(contentType) || MediaTypes.isManifest(contentType));
        if (declared != null && usefulHeader && !declared.equals(contentType)) {
            throw invalid(what, "its mediaType '" + declared + "' contradicts the Content-Type '" + contentType + "'");
        }
        String type = declared != null ? declared : usefulHeader ? contentType : null;
        if (type == null) {
            // an OCI document may omit mediaType; accept only when its shape leaves no doubt
            if (hasManifests) {
                type = MediaTypes.OCI_INDEX;
            } else if (hasImageParts) {
                type = MediaTypes.OCI_MANIFEST;
            } else {
                throw invalid(what, "it has no mediaType and is neither a manifest nor an index");
            }
        }
        if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type)) {
            throw invalid(what, "unsupported media type '" + type + "'");
        }
        if ((MediaTypes.isIndex(type) && hasImageParts) || (MediaTypes.isManifest(type) && hasManifests)) {
            throw invalid(what, "its content does not match its media type '" + type + "'");
        }
        return type;
    }

    /** Parses a descriptor object, validating digest and size before anything uses them. */
    public static Descriptor descriptor(JsonElement element, String what) throws ImageException {
        if (element == null || !element.isJsonObject()) {
            throw invalid(what, "a descriptor is not an object");
        }
        JsonObject o = element.getAsJsonObject();
        String mediaType = stringOrNull(o, "mediaType");
        if (mediaType == null) {
            throw invalid(what, "a descriptor has no mediaType");
        }
        Digest digest = Digest.parse(stringOrNull(o, "digest"));
        JsonElement size = o.get("size");
        if (size == null || !size.isJsonPrimitive() || !size.getAsJsonPrimitive().isNumber() || size.getAsLong() < 0) {
            throw invalid(what, "descriptor " + digest + " has no valid size");
        }
        Platform platform = null;
        if (o.has("platform") && o.get("platform").isJsonObject()) {
            JsonObject p = o.getAsJsonObject("platform");
            String os = stringOrNull(p, "os");
            String arch = stringOrNull(p, "architecture");
            if (os != null && arch != null) {
                platform = new Platform(os, arch, stringOrNull(p, "variant"));
            }
        }
        List<String> urls = new ArrayList<>();
        if (o.has("urls") && o.get("urls").isJsonArray()) {
            for (JsonElement u : o.getAsJsonArray("urls")) {
                urls.add(u.getAsString());
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        if (o.has("annotations") && o.get("annotations").isJsonObject()) {
            for (Map.Entry<String, JsonElement> a : o.getAsJsonObject("annotations").entrySet()) {
                if (a.getValue().isJsonPrimitive()) {
                    annotations.put(a.getKey(), a.getValue().getAsString());
                }
            }
        }
        return new Descriptor(mediaType, digest, size.getAsLong(), platform, urls, annotations);
    }

    static JsonObject parseObject(byte[] raw, String what) throws ImageException {
        try {
            JsonElement e = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw invalid(what, "it is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw invalid(what, "it is not valid JSON");
        }
    }

    private static JsonArray array(JsonObject o, String key, String what) throws ImageException {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw invalid(what, "'" + key + "' is not a list");
        }
        return e.getAsJsonArray();
    }

    static String stringOrNull(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    private static String stripParams(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    private static ImageException invalid(String what, String why) {
        return new ImageException(ErrorKind.EXTERNAL, "invalid " + what + ": " + why,
                "the registry or archive served a malformed document; check the image source");
    }
}
