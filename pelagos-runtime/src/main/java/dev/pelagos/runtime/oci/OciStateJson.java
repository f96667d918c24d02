package dev.pelagos.runtime.oci;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The runtime-spec state object ({@code pelagos state}, hooks' stdin), plus runc's extra fields. */
public final class OciStateJson {
    public static final String OCI_VERSION = "1.0.2";

    private OciStateJson() {
    }

    public static Map<String, Object> of(OciContainer c, OciStatus status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", OCI_VERSION);
        m.put("id", c.id());
        m.put("pid", status == OciStatus.STOPPED ? 0 : c.pid());
        m.put("status", status.wire());
        m.putAll(fixed(c.record()));
        return m;
    }

    /**
     * The state for hooks the helper runs, which knows the pid and status only then: the compact
     * JSON of everything else, without its closing brace, for the helper to complete.
     */
    public static String withoutPidAndStatus(OciRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", OCI_VERSION);
        m.put("id", r.id());
        m.putAll(fixed(r));
        String json = compact(m);
        return json.substring(0, json.length() - 1);
    }

    private static Map<String, Object> fixed(OciRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundle", r.bundle());
        m.put("rootfs", r.rootfs());
        m.put("created", Instant.ofEpochMilli(r.createdMs()).toString());
        if (r.annotations() != null && !r.annotations().isEmpty()) {
            m.put("annotations", r.annotations());
        }
        m.put("owner", "");
        return m;
    }

    public static String pretty(Object o) {
        return write(o, "  ");
    }

    public static String compact(Object o) {
        return write(o, "");
    }

    /** Maps, lists, strings, numbers and booleans as JSON, with a streaming writer (no reflection). */
    private static String write(Object o, String indent) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.setIndent(indent);
            w.setHtmlSafe(false);
            value(w, o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void value(JsonWriter w, Object o) throws IOException {
        switch (o) {
            case null -> w.nullValue();
            case String s -> w.value(s);
            case Boolean b -> w.value(b);
            case Number n -> w.value(n);
            case Map<?, ?> m -> {
                w.beginObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    w.name(String.valueOf(e.getKey()));
                    value(w, e.getValue());
                }
                w.endObject();
            }
            case Iterable<?> l -> {
                w.beginArray();
                for (Object x : l) {
                    value(w, x);
                }
                w.endArray();
            }
            default -> w.value(o.toString());
        }
    }

}
