package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.CgroupMount;
import dev.pelagos.runtime.launch.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /sys/fs/cgroup} of a container on a cgroup v1 (or hybrid) host that has no cgroup
 * namespace: the tmpfs with each hierarchy bound from the host's directory of this container's
 * own cgroup, as runc does. A fresh cgroupfs mount there would show the host's whole hierarchy,
 * and in a user namespace the kernel refuses it (only the owner of the cgroup namespace may mount
 * a cgroupfs).
 */
final class CgroupBinds {
    private static final String CGROUP_DIR = "/sys/fs/cgroup";

    private CgroupBinds() {
    }

    /**
     * The driver's steps for this bundle: unchanged when the container gets a cgroup namespace
     * (its fresh cgroupfs mounts show its own cgroup as the root), else as {@link #forContainer}.
     */
    static List<CgroupMount> forConfig(List<CgroupMount> steps, Path hostRoot, String cgroupPath, OciConfig config)
            throws PelagosException {
        OciConfig.Linux l = config.linux();
        boolean cgroupNs = l != null && l.namespaces() != null && l.namespaces().stream().anyMatch(n -> "cgroup".equals(n.type()));
        if (steps.isEmpty()) {
            return steps;
        }
        boolean readOnly = false;
        for (OciConfig.Mount m : config.mounts()) {
            if ("cgroup".equals(m.type()) || "cgroup2".equals(m.type())) {
                readOnly = (MountOptions.parse(m.type(), m.options()).flags() & Linux.MS_RDONLY) != 0;
            }
        }
        if (cgroupNs) {
            return readOnly ? steps : writable(steps);
        }
        String self;
        try {
            self = Files.readString(Path.of("/proc/self/cgroup"));
        } catch (IOException e) {
            throw PelagosException.io("read /proc/self/cgroup", e);
        }
        return forContainer(steps, hostRoot, cgroupPath, self, readOnly);
    }

    /**
     * The driver's steps with every hierarchy mount under the tmpfs turned into a bind of the
     * container's directory in that hierarchy. Steps without a tmpfs at /sys/fs/cgroup (cgroup v2)
     * come back unchanged.
     *
     * @param hostRoot where the host mounts its hierarchies (/sys/fs/cgroup)
     * @param cgroupPath the container's cgroup, relative to each hierarchy's root
     * @param selfCgroup /proc/self/cgroup of the process the container is started from: its cgroup
     *        in the hierarchies the container does not get a cgroup of its own in
     * @param readOnly the config's cgroup mount is read-only (else the binds are writable, as asked)
     */
    static List<CgroupMount> forContainer(List<CgroupMount> steps, Path hostRoot, String cgroupPath, String selfCgroup,
            boolean readOnly) {
        boolean tmpfsRoot = steps.stream().anyMatch(s -> s.kind() == CgroupMount.Kind.MOUNT && s.fstype().equals("tmpfs")
                && s.target().equals(CGROUP_DIR));
        if (!tmpfsRoot) {
            return steps;
        }
        List<String> flags = readOnly ? List.of("rbind", "ro", "nosuid", "nodev", "noexec")
                : List.of("rbind", "nosuid", "nodev", "noexec");
        List<CgroupMount> out = new ArrayList<>();
        for (CgroupMount s : steps) {
            boolean hierarchy = s.kind() == CgroupMount.Kind.MOUNT && s.target().startsWith(CGROUP_DIR + "/")
                    && (s.fstype().equals("cgroup") || s.fstype().equals("cgroup2"));
            if (hierarchy) {
                Path dir = hostDirectory(s, hostRoot, cgroupPath, selfCgroup);
                if (dir != null) {
                    out.add(new CgroupMount(CgroupMount.Kind.MOUNT, dir.toString(), s.target(), "", flags, ""));
                }
            } else if (s.kind() == CgroupMount.Kind.REMOUNT && s.target().equals(CGROUP_DIR) && !readOnly) {
                // a writable cgroup mount keeps its tmpfs writable too
                continue;
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** The steps with no read-only flag and no read-only remount: a cgroup mount the config asks to be writable. */
    static List<CgroupMount> writable(List<CgroupMount> steps) {
        List<CgroupMount> out = new ArrayList<>();
        for (CgroupMount s : steps) {
            if (s.kind() == CgroupMount.Kind.REMOUNT && s.flags().contains("ro")) {
                continue;
            }
            List<String> flags = s.flags().stream().filter(f -> !f.equals("ro")).toList();
            out.add(new CgroupMount(s.kind(), s.source(), s.target(), s.fstype(), flags, s.data()));
        }
        return out;
    }

    /** The host directory to bind for one hierarchy, or null when the container has no cgroup there. */
    private static Path hostDirectory(CgroupMount s, Path hostRoot, String cgroupPath, String selfCgroup) {
        Path mountDir = hostRoot.resolve(s.target().substring(CGROUP_DIR.length() + 1));
        Path own = mountDir.resolve(cgroupPath);
        if (Files.isDirectory(own)) {
            return own;
        }
        String inherited = inheritedPath(s, selfCgroup);
        if (inherited == null) {
            return null;
        }
        Path dir = inherited.equals("/") ? mountDir : mountDir.resolve(inherited.substring(1));
        return Files.isDirectory(dir) ? dir : null;
    }

    /** The /proc/self/cgroup path of the hierarchy the step mounts (matched by controllers, or v2's "0::"). */
    static String inheritedPath(CgroupMount s, String selfCgroup) {
        Set<String> wanted = controllers(s.fstype().equals("cgroup2") ? "" : s.data());
        for (String line : selfCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && controllers(f[1]).equals(wanted) && (f[1].isEmpty() == f[0].equals("0"))) {
                return f[2];
            }
        }
        return null;
    }

    /** The controllers (and name=) of a mount's data or a /proc/self/cgroup field, without "none". */
    private static Set<String> controllers(String list) {
        Set<String> out = new TreeSet<>(Arrays.asList(list.split(",")));
        out.remove("");
        out.remove("none");
        return out;
    }
}
