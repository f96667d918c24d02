package dev.pelagos.runtime.oci;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runtime-spec state object ({@code pelagos state}, hooks' stdin), plus runc's extra fields. */
public final class OciStateJson {
    static final String OCI_VERSION = "1.0.2";
    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

    private OciStateJson() {
    }

    public static Map<String, Object> of(OciContainer c, OciStatus status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", OCI_VERSION);
        m.put("id", c.id());
        m.put("pid", status == OciStatus.STOPPED ? 0 : c.pid());
        m.put("status", status.wire());
        m.put("bundle", c.record().bundle());
        m.put("rootfs", c.record().rootfs());
        m.put("created", Instant.ofEpochMilli(c.record().createdMs()).toString());
        if (c.record().annotations() != null && !c.record().annotations().isEmpty()) {
            m.put("annotations", c.record().annotations());
        }
        m.put("owner", "");
        return m;
    }

    public static String pretty(Object o) {
        return PRETTY.toJson(o);
    }

    public static String compact(Object o) {
        return COMPACT.toJson(o);
    }

    public static String prettyList(List<Map<String, Object>> states) {
        return PRETTY.toJson(states);
    }
}
