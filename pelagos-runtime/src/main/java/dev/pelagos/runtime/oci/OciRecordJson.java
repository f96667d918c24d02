package dev.pelagos.runtime.oci;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.pelagos.base.PelagosException;
import java.util.List;
import java.util.Map;

/** {@link OciRecord} to and from {@code state.json}, by hand (no reflection on the start path of every verb). */
final class OciRecordJson {
    private OciRecordJson() {
    }

    static String write(OciRecord r) {
        JsonObject o = new JsonObject();
        o.addProperty("ociVersion", r.ociVersion());
        o.addProperty("id", r.id());
        o.addProperty("bundle", r.bundle());
        o.addProperty("rootfs", r.rootfs());
        o.addProperty("createdMs", r.createdMs());
        o.addProperty("creatorPid", r.creatorPid());
        o.add("annotations", strings(r.annotations()));
        o.addProperty("cgroupPath", r.cgroupPath());
        if (r.hooks() != null) {
            JsonObject h = new JsonObject();
            h.add("prestart", hooks(r.hooks().prestart()));
            h.add("createRuntime", hooks(r.hooks().createRuntime()));
            h.add("createContainer", hooks(r.hooks().createContainer()));
            h.add("startContainer", hooks(r.hooks().startContainer()));
            h.add("poststart", hooks(r.hooks().poststart()));
            h.add("poststop", hooks(r.hooks().poststop()));
            o.add("hooks", h);
        }
        o.addProperty("cloneFlags", r.cloneFlags());
        o.addProperty("uid", r.uid());
        o.addProperty("gid", r.gid());
        JsonArray gids = new JsonArray();
        r.additionalGids().forEach(gids::add);
        o.add("additionalGids", gids);
        o.add("env", array(r.env()));
        o.addProperty("cwd", r.cwd());
        JsonArray caps = new JsonArray();
        for (long c : r.capabilities()) {
            caps.add(c);
        }
        o.add("capabilities", caps);
        o.addProperty("noNewPrivileges", r.noNewPrivileges());
        o.addProperty("hasSeccomp", r.hasSeccomp());
        o.add("extraCgroups", array(r.extraCgroups()));
        return o.toString();
    }

    static OciRecord read(String json, String what) throws PelagosException {
        try {
            JsonElement t = JsonParser.parseString(json);
            JsonFields f = JsonFields.of(t, "");
            if (f == null) {
                throw PelagosException.invalid(what + " is empty", null);
            }
            List<Long> caps = f.longs("capabilities");
            long[] c = new long[5];
            for (int i = 0; i < c.length && caps != null && i < caps.size(); i++) {
                c[i] = caps.get(i);
            }
            return new OciRecord(f.str("ociVersion"), f.str("id"), f.str("bundle"), f.str("rootfs"), orZero(f.lng("createdMs")),
                    orZero(f.lng("creatorPid")), orEmpty(f.stringMap("annotations")), f.str("cgroupPath"),
                    OciConfigReader.hooks(f.obj("hooks")), orZero(f.lng("cloneFlags")).intValue(), orZero(f.lng("uid")),
                    orZero(f.lng("gid")), orEmpty(f.longs("additionalGids")), orEmpty(f.strings("env")), f.str("cwd"), c,
                    Boolean.TRUE.equals(f.bool("noNewPrivileges")), Boolean.TRUE.equals(f.bool("hasSeccomp")),
                    orEmpty(f.strings("extraCgroups")));
        } catch (JsonParseException e) {
            throw PelagosException.invalid(what + " is damaged: " + e.getMessage(), null);
        }
    }

    private static Long orZero(Long l) {
        return l == null ? 0L : l;
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    private static JsonObject strings(Map<String, String> m) {
        JsonObject o = new JsonObject();
        if (m != null) {
            m.forEach(o::addProperty);
        }
        return o;
    }

    private static JsonArray array(List<String> l) {
        JsonArray a = new JsonArray();
        if (l != null) {
            l.forEach(a::add);
        }
        return a;
    }

    private static JsonElement hooks(List<OciConfig.Hook> list) {
        if (list == null) {
            return null;
        }
        JsonArray a = new JsonArray();
        for (OciConfig.Hook h : list) {
            JsonObject o = new JsonObject();
            o.addProperty("path", h.path());
            if (h.args() != null) {
                o.add("args", array(h.args()));
            }
            if (h.env() != null) {
                o.add("env", array(h.env()));
            }
            if (h.timeout() != null) {
                o.addProperty("timeout", h.timeout());
            }
            a.add(o);
        }
        return a;
    }
}
