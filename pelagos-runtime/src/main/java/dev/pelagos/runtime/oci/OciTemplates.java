package dev.pelagos.runtime.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents pelagos hands out rather than reads: the starter {@code config.json}
 * ({@code pelagos spec}, which runc's own test-suite uses for every bundle) and the OCI
 * features document ({@code pelagos features}).
 */
public final class OciTemplates {
    private OciTemplates() {
    }

    /** A starter config: {@code sh} on a terminal in a read-only {@code rootfs}, hardened like runc's. */
    public static String spec(boolean rootless, long uid, long gid) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ociVersion", OciStateJson.OCI_VERSION);
        List<String> caps = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", true);
        process.put("user", Map.of("uid", 0, "gid", 0));
        process.put("args", List.of("sh"));
        process.put("env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        process.put("cwd", "/");
        process.put("capabilities", Map.of("bounding", caps, "effective", caps, "permitted", caps, "ambient", caps));
        process.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024)));
        process.put("noNewPrivileges", true);
        c.put("process", process);
        c.put("root", Map.of("path", "rootfs", "readonly", true));
        c.put("hostname", "pelagos");
        List<Object> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc", List.of()));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(mount("/dev/pts", "devpts", "devpts", rootless
                ? List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")
                : List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        mounts.add(mount("/dev/shm", "shm", "tmpfs", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        mounts.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        if (rootless) {
            mounts.add(mount("/sys", "/sys", "none", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
        } else {
            mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
            mounts.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        }
        c.put("mounts", mounts);
        Map<String, Object> linux = new LinkedHashMap<>();
        if (rootless) {
            linux.put("uidMappings", List.of(Map.of("containerID", 0, "hostID", uid, "size", 1)));
            linux.put("gidMappings", List.of(Map.of("containerID", 0, "hostID", gid, "size", 1)));
        } else {
            linux.put("resources", Map.of("devices", List.of(Map.of("allow", false, "access", "rwm"))));
        }
        List<Object> ns = new ArrayList<>();
        List<String> types = new ArrayList<>(rootless ? List.of("pid", "ipc", "uts", "mount", "user")
                : List.of("pid", "network", "ipc", "uts", "mount"));
        if (java.nio.file.Files.isRegularFile(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            types.add("cgroup"); // as runc: a private cgroup namespace by default only on cgroup v2
        }
        for (String t : types) {
            ns.add(Map.of("type", t));
        }
        linux.put("namespaces", ns);
        linux.put("maskedPaths", List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"));
        linux.put("readonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        c.put("linux", linux);
        return OciStateJson.pretty(c);
    }

    /** Whether a kernel release such as "6.18.0-1-amd64" is at least major.minor. */
    static boolean kernelAtLeast(String release, int major, int minor) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release == null ? "" : release);
        if (!m.find()) {
            return false;
        }
        int maj = Integer.parseInt(m.group(1));
        return maj > major || (maj == major && Integer.parseInt(m.group(2)) >= minor);
    }

    private static Map<String, Object> mount(String dest, String source, String type, List<String> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        if (!options.isEmpty()) {
            m.put("options", options);
        }
        return m;
    }

    /** The runtime-spec features document: what this runtime understands. */
    public static String features() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ociVersionMin", "1.0.0");
        f.put("ociVersionMax", "1.1.0");
        f.put("hooks", List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"));
        List<String> opts = new ArrayList<>(List.of("async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
                "lazytime", "mand", "noatime", "nodev", "nodiratime", "noexec", "nolazytime", "nomand", "norelatime",
                "nostrictatime", "nosuid", "nosymfollow", "private", "rbind", "relatime", "remount", "ro", "rprivate",
                "rshared", "rslave", "runbindable", "rw", "shared", "slave", "strictatime", "suid", "symfollow", "sync",
                "tmpcopyup", "unbindable", "idmap", "ridmap"));
        f.put("mountOptions", opts);
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", List.of("cgroup", "ipc", "mount", "network", "pid", "user", "uts"));
        List<String> caps = new ArrayList<>();
        for (dev.pelagos.runtime.spec.Capability k : dev.pelagos.runtime.spec.Capability.values()) {
            caps.add("CAP_" + k.name());
        }
        linux.put("capabilities", caps);
        linux.put("cgroup", Map.of("v1", true, "v2", true, "systemd", false, "systemdUser", false));
        linux.put("seccomp", Map.of("enabled", true,
                "actions", List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                        "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"),
                "operators", List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                        "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"),
                "archs", List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32")));
        linux.put("apparmor", Map.of("enabled", false));
        linux.put("selinux", Map.of("enabled", false));
        linux.put("intelRdt", Map.of("enabled", false));
        // bind mounts with uidMappings/gidMappings (mount_setattr MOUNT_ATTR_IDMAP, Linux 5.12)
        linux.put("mountExtensions", Map.of("idmap", Map.of("enabled", kernelAtLeast(System.getProperty("os.version"), 5, 12))));
        f.put("linux", linux);
        f.put("annotations", Map.of("io.github.pelagos.version", "0.1.0"));
        return OciStateJson.pretty(f);
    }
}
