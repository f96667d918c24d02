package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.spec.Capability;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a config.json before anything is made, so that a bad value fails with an error naming
 * the field ({@code process.rlimits[1].type: unknown rlimit 'RLIMIT_TEST'}) and leaves nothing behind.
 */
public final class ConfigValidator {
    static final Map<String, Integer> RLIMITS = Map.ofEntries(Map.entry("RLIMIT_CPU", 0), Map.entry("RLIMIT_FSIZE", 1),
            Map.entry("RLIMIT_DATA", 2), Map.entry("RLIMIT_STACK", 3), Map.entry("RLIMIT_CORE", 4),
            Map.entry("RLIMIT_RSS", 5), Map.entry("RLIMIT_NPROC", 6), Map.entry("RLIMIT_NOFILE", 7),
            Map.entry("RLIMIT_MEMLOCK", 8), Map.entry("RLIMIT_AS", 9), Map.entry("RLIMIT_LOCKS", 10),
            Map.entry("RLIMIT_SIGPENDING", 11), Map.entry("RLIMIT_MSGQUEUE", 12), Map.entry("RLIMIT_NICE", 13),
            Map.entry("RLIMIT_RTPRIO", 14), Map.entry("RLIMIT_RTTIME", 15));

    static final Map<String, String> NAMESPACE_KINDS = Map.of("pid", "pid", "network", "net", "mount", "mnt", "ipc", "ipc",
            "uts", "uts", "user", "user", "cgroup", "cgroup", "time", "time");

    private ConfigValidator() {
    }

    /** @param bundle the bundle directory (relative paths in the config are relative to it) */
    public static void validate(OciConfig c, Path bundle) throws PelagosException {
        String v = c.ociVersion();
        if (v == null || v.isBlank()) {
            throw bad("ociVersion", "is required", "set it to the runtime-spec version, e.g. \"1.0.2\"");
        }
        if (!v.startsWith("1.")) {
            throw bad("ociVersion", "unsupported version '" + v + "'", "pelagos implements runtime-spec 1.x");
        }
        if (c.root() == null || c.root().path() == null || c.root().path().isEmpty()) {
            throw bad("root.path", "is required", "name the root filesystem directory, e.g. \"rootfs\"");
        }
        Path rootfs = bundle.resolve(c.root().path());
        if (!Files.isDirectory(rootfs)) {
            throw bad("root.path", "'" + rootfs + "' is not a directory", "unpack the root filesystem there first");
        }
        validateProcess(c.process(), "process");
        validateMounts(c);
        validateHooks(c.hooks());
        validateLinux(c);
    }

    static void validateProcess(OciConfig.Process p, String at) throws PelagosException {
        if (p == null) {
            throw bad(at, "is required", "describe the process to run (args, cwd, env, user)");
        }
        if ((p.args() == null || p.args().isEmpty()) && p.commandLine() == null) {
            throw bad(at + ".args", "must name a program", "e.g. [\"sh\"]");
        }
        if (p.cwd() == null || !p.cwd().startsWith("/")) {
            throw bad(at + ".cwd", "must be an absolute path (got " + p.cwd() + ")", "e.g. \"/\"");
        }
        if (p.env() != null) {
            for (int i = 0; i < p.env().size(); i++) {
                String e = p.env().get(i);
                if (e == null || e.indexOf('=') <= 0) {
                    throw bad(at + ".env[" + i + "]", "'" + e + "' is not KEY=VALUE", null);
                }
            }
        }
        if (p.user() != null) {
            checkId(at + ".user.uid", p.user().uid());
            checkId(at + ".user.gid", p.user().gid());
            List<Long> gids = p.user().additionalGids() == null ? List.of() : p.user().additionalGids();
            for (int i = 0; i < gids.size(); i++) {
                checkId(at + ".user.additionalGids[" + i + "]", gids.get(i));
            }
            if (p.user().umask() != null && (p.user().umask() < 0 || p.user().umask() > 0777)) {
                throw bad(at + ".user.umask", "must be between 0 and 0777", null);
            }
        }
        if (p.capabilities() != null) {
            OciConfig.Capabilities k = p.capabilities();
            checkCaps(at + ".capabilities.bounding", k.bounding());
            checkCaps(at + ".capabilities.effective", k.effective());
            checkCaps(at + ".capabilities.inheritable", k.inheritable());
            checkCaps(at + ".capabilities.permitted", k.permitted());
            checkCaps(at + ".capabilities.ambient", k.ambient());
        }
        if (p.rlimits() != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < p.rlimits().size(); i++) {
                OciConfig.Rlimit r = p.rlimits().get(i);
                String f = at + ".rlimits[" + i + "]";
                if (r.type() == null || !RLIMITS.containsKey(r.type())) {
                    throw bad(f + ".type", "unknown rlimit '" + r.type() + "'", "use a name like RLIMIT_NOFILE");
                }
                if (!seen.add(r.type())) {
                    throw bad(f + ".type", r.type() + " is given twice", null);
                }
                BigInteger soft = r.soft() == null ? BigInteger.ZERO : r.soft();
                BigInteger hard = r.hard() == null ? BigInteger.ZERO : r.hard();
                if (soft.signum() < 0 || hard.signum() < 0 || soft.bitLength() > 64 || hard.bitLength() > 64) {
                    throw bad(f, "limits must be between 0 and 2^64-1", null);
                }
                if (soft.compareTo(hard) > 0) {
                    throw bad(f + ".soft", "is above the hard limit (" + soft + " > " + hard + ")", null);
                }
            }
        }
        if (p.oomScoreAdj() != null && (p.oomScoreAdj() < -1000 || p.oomScoreAdj() > 1000)) {
            throw bad(at + ".oomScoreAdj", "must be between -1000 and 1000", null);
        }
    }

    private static void checkId(String field, Long id) throws PelagosException {
        if (id != null && (id < 0 || id > 0xFFFF_FFFEL)) {
            throw bad(field, id + " is out of range", "ids are 0..4294967294");
        }
    }

    private static void checkCaps(String field, List<String> caps) throws PelagosException {
        if (caps == null) {
            return;
        }
        for (int i = 0; i < caps.size(); i++) {
            String n = caps.get(i);
            if (n == null || !n.startsWith("CAP_")) {
                throw bad(field + "[" + i + "]", "'" + n + "' is not a capability name", "use names like CAP_CHOWN");
            }
            try {
                Capability.parse(n);
            } catch (PelagosException e) {
                throw bad(field + "[" + i + "]", "unknown capability '" + n + "'", "use names like CAP_CHOWN");
            }
        }
    }

    private static void validateMounts(OciConfig c) throws PelagosException {
        List<OciConfig.Mount> mounts = c.mounts();
        if (mounts == null) {
            return;
        }
        for (int i = 0; i < mounts.size(); i++) {
            OciConfig.Mount m = mounts.get(i);
            if (m == null || m.destination() == null || m.destination().isEmpty()) {
                throw bad("mounts[" + i + "].destination", "is required", null);
            }
            MountIdMaps.validate(c, i, m, MountOptions.parse(m.type(), m.options()));
        }
    }

    private static void validateHooks(OciConfig.Hooks h) throws PelagosException {
        if (h == null) {
            return;
        }
        Map<String, List<OciConfig.Hook>> all = new java.util.LinkedHashMap<>();
        all.put("prestart", h.prestart());
        all.put("createRuntime", h.createRuntime());
        all.put("createContainer", h.createContainer());
        all.put("startContainer", h.startContainer());
        all.put("poststart", h.poststart());
        all.put("poststop", h.poststop());
        for (Map.Entry<String, List<OciConfig.Hook>> e : all.entrySet()) {
            List<OciConfig.Hook> list = e.getValue() == null ? List.of() : e.getValue();
            for (int i = 0; i < list.size(); i++) {
                OciConfig.Hook hook = list.get(i);
                String f = "hooks." + e.getKey() + "[" + i + "]";
                if (hook.path() == null || !hook.path().startsWith("/")) {
                    throw bad(f + ".path", "must be an absolute path (got " + hook.path() + ")", null);
                }
                if (hook.timeout() != null && hook.timeout() <= 0) {
                    throw bad(f + ".timeout", "must be greater than zero", null);
                }
            }
        }
    }

    private static void validateLinux(OciConfig c) throws PelagosException {
        OciConfig.Linux l = c.linux();
        Set<String> types = new HashSet<>();
        if (l != null && l.namespaces() != null) {
            for (int i = 0; i < l.namespaces().size(); i++) {
                OciConfig.Namespace n = l.namespaces().get(i);
                String f = "linux.namespaces[" + i + "]";
                if (n.type() == null || !NAMESPACE_KINDS.containsKey(n.type())) {
                    throw bad(f + ".type", "unknown namespace type '" + n.type() + "'",
                            "use pid, network, mount, ipc, uts, user, cgroup or time");
                }
                if (!types.add(n.type())) {
                    throw bad(f + ".type", "namespace '" + n.type() + "' is listed twice", null);
                }
                if (n.path() != null && !n.path().isEmpty()) {
                    checkNamespacePath(f + ".path", n.type(), Path.of(n.path()));
                }
            }
        }
        if (c.hostname() != null && !c.hostname().isEmpty() && !types.contains("uts")) {
            throw bad("hostname", "needs a UTS namespace", "add {\"type\": \"uts\"} to linux.namespaces");
        }
        if (l == null) {
            return;
        }
        boolean userns = types.contains("user");
        if (((l.uidMappings() != null && !l.uidMappings().isEmpty()) || (l.gidMappings() != null && !l.gidMappings().isEmpty()))
                && !userns) {
            throw bad("linux.uidMappings", "needs a user namespace", "add {\"type\": \"user\"} to linux.namespaces");
        }
        if (l.rootfsPropagation() != null && !l.rootfsPropagation().isEmpty()
                && MountOptions.propagation(l.rootfsPropagation()) == null) {
            throw bad("linux.rootfsPropagation", "unknown propagation '" + l.rootfsPropagation() + "'",
                    "use shared, slave, private or unbindable (with or without the r prefix)");
        }
        if (l.devices() != null) {
            for (int i = 0; i < l.devices().size(); i++) {
                OciConfig.Device d = l.devices().get(i);
                String f = "linux.devices[" + i + "]";
                if (d.path() == null || !d.path().startsWith("/")) {
                    throw bad(f + ".path", "must be an absolute path (got " + d.path() + ")", null);
                }
                if (d.type() == null || !List.of("c", "b", "u", "p").contains(d.type())) {
                    throw bad(f + ".type", "unknown device type '" + d.type() + "'", "use c, b, u or p");
                }
                if (!d.type().equals("p") && (d.major() == null || d.minor() == null)) {
                    throw bad(f, "a " + d.type() + " device needs major and minor", null);
                }
            }
        }
        if (l.personality() != null && l.personality().domain() != null
                && !List.of("LINUX", "LINUX32").contains(l.personality().domain())) {
            throw bad("linux.personality.domain", "unknown domain '" + l.personality().domain() + "'", "use LINUX or LINUX32");
        }
        if (l.sysctl() != null) {
            for (String key : l.sysctl().keySet()) {
                if (key.isEmpty() || key.contains("..") || key.contains("/../") || key.startsWith("/")) {
                    throw bad("linux.sysctl", "invalid key '" + key + "'", null);
                }
            }
        }
    }

    /** A namespace file given by path must be a namespace of that type ({@code /proc/PID/ns/net} for network). */
    private static void checkNamespacePath(String field, String type, Path path) throws PelagosException {
        if (!Files.exists(path)) {
            throw bad(field, "'" + path + "' does not exist", null);
        }
        if (Files.isSymbolicLink(path)) {
            try {
                String target = Files.readSymbolicLink(path).toString();
                String kind = NAMESPACE_KINDS.get(type);
                if (!target.startsWith(kind + ":[")) {
                    throw bad(field, "'" + path + "' is " + target + ", not a " + type + " namespace", null);
                }
            } catch (IOException e) {
                throw PelagosException.io("read namespace link " + path, e);
            }
        }
    }

    static PelagosException bad(String field, String problem, String hint) {
        return PelagosException.invalid("config.json: " + field + " " + problem,
                hint == null ? "fix the value in the bundle's config.json" : hint);
    }
}
