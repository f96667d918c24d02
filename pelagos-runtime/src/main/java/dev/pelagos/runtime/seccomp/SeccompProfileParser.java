package dev.pelagos.runtime.seccomp;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import java.nio.charset.StandardCharsets;

/**
 * Reads Docker/OCI seccomp JSON into a {@link SeccompProfile}. Unknown fields are ignored, as
 * Docker does; meaning is checked later by {@link SeccompResolver}. Only the cache-miss path uses
 * this class, so Gson stays off the start path.
 */
public final class SeccompProfileParser {
    private static final Gson GSON = new Gson();

    private SeccompProfileParser() {
    }

    public static SeccompProfile parse(byte[] json, String source) throws SeccompProfileException {
        return parse(new String(json, StandardCharsets.UTF_8), source);
    }

    public static SeccompProfile parse(String json, String source) throws SeccompProfileException {
        SeccompProfile profile;
        try {
            profile = GSON.fromJson(json, SeccompProfile.class);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw SeccompProfileException.badProfile(source, "bad JSON: " + describe(e));
        }
        if (profile == null) {
            throw SeccompProfileException.badProfile(source, "the file is empty");
        }
        return profile;
    }

    /** For an OCI {@code config.json} already parsed: its {@code linux.seccomp} object. */
    public static SeccompProfile fromJsonTree(JsonElement element, String source) throws SeccompProfileException {
        if (element == null || !element.isJsonObject()) {
            throw SeccompProfileException.badProfile(source, "linux.seccomp is not a JSON object");
        }
        try {
            return GSON.fromJson(element, SeccompProfile.class);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw SeccompProfileException.badProfile(source, "bad JSON: " + describe(e));
        }
    }

    /** A stable serialisation of a profile object, to key the filter cache for profiles that have no file. */
    static String canonicalJson(SeccompProfile profile) {
        return GSON.toJson(profile);
    }

    /** Gson's message without the exception class prefix or the troubleshooting link. */
    private static String describe(Exception e) {
        Throwable t = e;
        String message = e.getMessage();
        while (message == null && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        int colon = message.indexOf("Exception: ");
        return colon >= 0 ? message.substring(colon + "Exception: ".length()) : message;
    }
}
