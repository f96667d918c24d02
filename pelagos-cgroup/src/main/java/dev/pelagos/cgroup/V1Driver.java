package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * cgroup v1: one hierarchy per mount under the root ({@code memory/}, {@code cpu/}, or co-mounted
 * {@code cpu,cpuacct/} with symlinks). A container gets a directory at the same relative path in
 * each hierarchy it joins.
 */
final class V1Driver implements CgroupDriver {
    /** Hierarchies a container joins when the host has them: the limits' and the stats' controllers. */
    static final List<String> JOINED = List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "freezer");
    private static final List<String> KNOWN = List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    /** One mounted v1 hierarchy: the directory under the root and the controllers it carries. */
    record Hierarchy(String name, Path mountDir, List<String> controllers) {
    }

    private final Path root;
    private final Map<String, Hierarchy> byController;
    private final Map<String, String> aliases; // symlink name -> hierarchy dir name, e.g. cpu -> cpu,cpuacct
    private final boolean hybrid;

    private V1Driver(Path root, Map<String, Hierarchy> byController, Map<String, String> aliases, boolean hybrid) {
        this.root = root;
        this.byController = byController;
        this.aliases = aliases;
        this.hybrid = hybrid;
    }

    /** The v1 hierarchies under root, or null when there are none. */
    static V1Driver scan(Path root) throws PelagosException {
        Map<String, Hierarchy> byController = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        boolean hybrid = false;
        List<Path> entries;
        try (Stream<Path> s = Files.list(root)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            return null;
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (Files.isRegularFile(entry.resolve("cgroup.controllers"))) {
                hybrid = true; // a cgroup2 mount beside the v1 ones (systemd's "unified")
                continue;
            }
            if (!Files.isRegularFile(entry.resolve("cgroup.procs"))) {
                continue;
            }
            if (Files.isSymbolicLink(entry)) {
                try {
                    aliases.put(name, Files.readSymbolicLink(entry).getFileName().toString());
                } catch (IOException e) {
                    throw PelagosException.io("cannot read the link " + entry, e);
                }
                continue;
            }
            List<String> controllers = List.of(name.split(",")).stream().filter(KNOWN::contains).toList();
            Hierarchy h = new Hierarchy(name, entry, controllers);
            for (String c : controllers) {
                byController.putIfAbsent(c, h);
            }
        }
        if (byController.isEmpty()) {
            return null;
        }
        aliases.keySet().removeIf(alias -> !byController.containsKey(alias));
        return new V1Driver(root, byController, aliases, hybrid);
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String layout() {
        return hybrid ? "hybrid" : "legacy";
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public List<String> availableControllers() {
        return List.copyOf(new TreeSet<>(byController.keySet()));
    }

    /** The distinct hierarchies a container joins on this host, in a stable order. */
    private List<Hierarchy> joinedHierarchies() {
        List<Hierarchy> out = new ArrayList<>();
        for (String c : JOINED) {
            Hierarchy h = byController.get(c);
            // identity, not equals(): a record's equals is bootstrapped through method handles,
            // which costs milliseconds on the container start path
            boolean seen = false;
            for (Hierarchy o : out) {
                seen |= o == h;
            }
            if (h != null && !seen) {
                out.add(h);
            }
        }
        return out;
    }

    @Override
    public Cgroup create(String relativePath, Resources resources) throws PelagosException {
        CgroupPath path = CgroupPath.parse(relativePath);
        requireControllers(resources, availableControllers());
        List<Hierarchy> hierarchies = joinedHierarchies();
        for (Hierarchy h : hierarchies) {
            if (Files.exists(path.under(h.mountDir()))) {
                throw PelagosException.conflict("cgroup " + path + " already exists in the " + h.name() + " hierarchy",
                        "another container may be using it; remove it or choose another name");
            }
        }
        List<Path> created = new ArrayList<>();
        try {
            for (Hierarchy h : hierarchies) {
                Path dir = h.mountDir();
                for (String segment : path.segments()) {
                    dir = dir.resolve(segment);
                    if (CgroupFiles.mkdir(dir)) {
                        created.add(dir);
                    } else if (dir.equals(path.under(h.mountDir()))) {
                        throw PelagosException.conflict("cgroup " + path + " already exists in the " + h.name()
                                + " hierarchy", "another container may be using it; remove it or choose another name");
                    }
                    if (h.controllers().contains("cpuset")) {
                        V1Cpuset.inherit(dir);
                    }
                }
            }
            V1Cgroup cgroup = new V1Cgroup(path, leafDirs(path, false));
            cgroup.apply(resources, true);
            return cgroup;
        } catch (PelagosException | RuntimeException | Error e) {
            // whatever went wrong (even a broken classpath), leave nothing half-made behind
            for (Path p : created.reversed()) {
                try {
                    CgroupFiles.rmdirIfUnused(p);
                } catch (PelagosException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /** The container's directory per joined controller (co-mounted ones share a path). */
    private Map<String, Path> leafDirs(CgroupPath path, boolean onlyExisting) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String c : JOINED) {
            Hierarchy h = byController.get(c);
            if (h != null) {
                Path leaf = path.under(h.mountDir());
                if (!onlyExisting || Files.isDirectory(leaf)) {
                    dirs.put(c, leaf);
                }
            }
        }
        return dirs;
    }

    static void requireControllers(Resources r, List<String> available) throws PelagosException {
        RequiredControllers.check(r, available, "blkio", "not mounted", "mount the controller on the host, or leave out those limits");
    }

    @Override
    public Cgroup open(String relativePath) throws PelagosException {
        CgroupPath path = CgroupPath.parse(relativePath);
        Map<String, Path> dirs = leafDirs(path, true);
        if (dirs.isEmpty()) {
            throw PelagosException.notFound("cgroup " + path + " does not exist under " + root,
                    "the container may have exited and been cleaned up");
        }
        return new V1Cgroup(path, dirs);
    }

    @Override
    public List<CgroupMount> containerMounts() {
        List<CgroupMount> steps = new ArrayList<>();
        String target = "/sys/fs/cgroup";
        steps.add(new CgroupMount(CgroupMount.Kind.MOUNT, "tmpfs", target, "tmpfs",
                List.of("nosuid", "nodev", "noexec"), "mode=755"));
        List<Hierarchy> joined = joinedHierarchies();
        for (Hierarchy h : joined) {
            steps.add(new CgroupMount(CgroupMount.Kind.MOUNT, "cgroup", target + "/" + h.name(), "cgroup",
                    CgroupMount.READ_ONLY, String.join(",", h.controllers())));
        }
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            if (joined.contains(byController.get(alias.getKey()))) {
                steps.add(new CgroupMount(CgroupMount.Kind.SYMLINK, alias.getValue(), target + "/" + alias.getKey(), "",
                        List.of(), ""));
            }
        }
        steps.add(new CgroupMount(CgroupMount.Kind.REMOUNT, "tmpfs", target, "", List.of("ro", "nosuid", "nodev", "noexec"),
                "mode=755"));
        return steps;
    }
}
