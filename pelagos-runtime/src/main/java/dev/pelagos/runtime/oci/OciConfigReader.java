package dev.pelagos.runtime.oci;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a bundle's {@code config.json} into an {@link OciConfig}, field by field from the JSON
 * tree (no reflection: a fresh JVM pays ~130 ms for Gson's record binding), naming the field
 * whose value has the wrong type. Unknown properties are ignored, as the spec requires.
 */
public final class OciConfigReader {
    private OciConfigReader() {
    }

    public static OciConfig read(Path bundle) throws PelagosException {
        Path file = bundle.resolve("config.json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw PelagosException.notFound("bundle " + bundle + " has no config.json",
                    "a bundle is a directory holding config.json and the root filesystem; see 'pelagos spec'");
        } catch (IOException e) {
            throw PelagosException.io("read " + file, e);
        }
        return parse(text, file.toString());
    }

    public static OciConfig parse(String json, String source) throws PelagosException {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw PelagosException.invalid("invalid " + source + ": " + root.getMessage(), "write valid JSON");
        }
        if (tree == null || !tree.isJsonObject()) {
            throw PelagosException.invalid(source + " does not hold a JSON object", "write the container's configuration as an object");
        }
        return config(new JsonFields(tree.getAsJsonObject(), ""));
    }

    static OciConfig config(JsonFields f) throws PelagosException {
        JsonFields root = f.obj("root");
        return new OciConfig(f.str("ociVersion"), process(f.obj("process")),
                root == null ? null : new OciConfig.Root(root.str("path"), root.bool("readonly")), f.str("hostname"),
                f.str("domainname"), f.objects("mounts", OciConfigReader::mount), hooks(f.obj("hooks")),
                f.stringMap("annotations"), linux(f.obj("linux")));
    }

    static OciConfig.Process process(JsonFields p) throws PelagosException {
        if (p == null) {
            return null;
        }
        JsonFields size = p.obj("consoleSize");
        JsonFields user = p.obj("user");
        JsonFields caps = p.obj("capabilities");
        JsonFields io = p.obj("ioPriority");
        return new OciConfig.Process(p.bool("terminal"),
                size == null ? null : new OciConfig.ConsoleSize(size.lng("height"), size.lng("width")),
                user == null ? null : new OciConfig.User(user.lng("uid"), user.lng("gid"), user.integer("umask"),
                        user.longs("additionalGids"), user.str("username")),
                p.strings("args"), p.str("commandLine"), p.strings("env"), p.str("cwd"),
                caps == null ? null : new OciConfig.Capabilities(caps.strings("bounding"), caps.strings("effective"),
                        caps.strings("inheritable"), caps.strings("permitted"), caps.strings("ambient")),
                p.objects("rlimits", r -> new OciConfig.Rlimit(r.str("type"), r.big("hard"), r.big("soft"))),
                p.bool("noNewPrivileges"), p.str("apparmorProfile"), p.integer("oomScoreAdj"), p.str("selinuxLabel"),
                io == null ? null : new OciConfig.IoPriority(io.str("class"), io.integer("priority")));
    }

    private static OciConfig.Mount mount(JsonFields m) throws PelagosException {
        return new OciConfig.Mount(m.str("destination"), m.str("source"), m.str("type"), m.strings("options"),
                m.objects("uidMappings", OciConfigReader::idMapping), m.objects("gidMappings", OciConfigReader::idMapping));
    }

    private static OciConfig.IdMapping idMapping(JsonFields m) throws PelagosException {
        return new OciConfig.IdMapping(m.lng("containerID"), m.lng("hostID"), m.lng("size"));
    }

    static OciConfig.Hooks hooks(JsonFields h) throws PelagosException {
        if (h == null) {
            return null;
        }
        return new OciConfig.Hooks(h.objects("prestart", OciConfigReader::hook), h.objects("createRuntime", OciConfigReader::hook),
                h.objects("createContainer", OciConfigReader::hook), h.objects("startContainer", OciConfigReader::hook),
                h.objects("poststart", OciConfigReader::hook), h.objects("poststop", OciConfigReader::hook));
    }

    private static OciConfig.Hook hook(JsonFields h) throws PelagosException {
        return new OciConfig.Hook(h.str("path"), h.strings("args"), h.strings("env"), h.integer("timeout"));
    }

    private static OciConfig.Linux linux(JsonFields l) throws PelagosException {
        if (l == null) {
            return null;
        }
        JsonFields pers = l.obj("personality");
        return new OciConfig.Linux(l.objects("uidMappings", OciConfigReader::idMapping),
                l.objects("gidMappings", OciConfigReader::idMapping), l.stringMap("sysctl"), resources(l.obj("resources")),
                l.str("cgroupsPath"), l.objects("namespaces", n -> new OciConfig.Namespace(n.str("type"), n.str("path"))),
                l.objects("devices", d -> new OciConfig.Device(d.str("type"), d.str("path"), d.lng("major"), d.lng("minor"),
                        d.integer("fileMode"), d.lng("uid"), d.lng("gid"))),
                l.raw("seccomp"), l.str("rootfsPropagation"), l.strings("maskedPaths"), l.strings("readonlyPaths"),
                l.str("mountLabel"), pers == null ? null : new OciConfig.Personality(pers.str("domain"), pers.strings("flags")),
                l.raw("intelRdt"), l.raw("timeOffsets"));
    }

    static OciConfig.Resources resources(JsonFields r) throws PelagosException {
        if (r == null) {
            return null;
        }
        JsonFields m = r.obj("memory");
        JsonFields c = r.obj("cpu");
        JsonFields p = r.obj("pids");
        JsonFields b = r.obj("blockIO");
        return new OciConfig.Resources(
                r.objects("devices", d -> new OciConfig.DeviceRule(d.bool("allow"), d.str("type"), d.lng("major"), d.lng("minor"),
                        d.str("access"))),
                m == null ? null : new OciConfig.Memory(m.lng("limit"), m.lng("reservation"), m.lng("swap"), m.lng("kernel"),
                        m.lng("kernelTCP"), m.lng("swappiness"), m.bool("disableOOMKiller"), m.bool("useHierarchy"),
                        m.bool("checkBeforeUpdate")),
                c == null ? null : new OciConfig.Cpu(c.lng("shares"), c.lng("quota"), c.lng("burst"), c.lng("period"),
                        c.lng("realtimeRuntime"), c.lng("realtimePeriod"), c.str("cpus"), c.str("mems"), c.lng("idle")),
                p == null ? null : new OciConfig.Pids(p.lng("limit")),
                b == null ? null : new OciConfig.BlockIO(b.integer("weight"), b.integer("leafWeight"),
                        b.objects("weightDevice", w -> new OciConfig.WeightDevice(w.lng("major"), w.lng("minor"),
                                w.integer("weight"), w.integer("leafWeight"))),
                        b.objects("throttleReadBpsDevice", OciConfigReader::throttle),
                        b.objects("throttleWriteBpsDevice", OciConfigReader::throttle),
                        b.objects("throttleReadIOPSDevice", OciConfigReader::throttle),
                        b.objects("throttleWriteIOPSDevice", OciConfigReader::throttle)),
                r.rawList("hugepageLimits"), r.raw("network"), r.raw("rdma"), r.stringMap("unified"));
    }

    private static OciConfig.ThrottleDevice throttle(JsonFields t) throws PelagosException {
        return new OciConfig.ThrottleDevice(t.lng("major"), t.lng("minor"), t.lng("rate"));
    }
}
