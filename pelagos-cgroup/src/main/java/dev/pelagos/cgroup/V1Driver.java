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
 * every mounted hierarchy: the controllers' ones, named ones without a controller (systemd's
 * {@code name=systemd}) and, on a hybrid host, the cgroup2 mount beside them. Joining only some
 * would leave the container's processes in the caller's cgroup elsewhere, where whoever owns that
 * cgroup (systemd, a supervisor) would count, move or kill them as its own.
 */
final class V1Driver implements CgroupDriver {
    /** The limits' and the stats' controllers, first in a container's directories in this order. */
    static final List<String> JOINED = List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "freezer");
    private static final List<String> KNOWN = List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");
    /** The key of a hybrid host's cgroup2 hierarchy among a container's directories. */
    static final String UNIFIED = "unified";

    /** One mounted v1 hierarchy: the directory under the root and the controllers it carries. */
    record Hierarchy(String name, Path mountDir, List<String> controllers) {
    }

    private final Path root;
    private final Map<String, Hierarchy> byController;
    private final Map<String, Hierarchy> others; // named hierarchies and the hybrid cgroup2 mount, by key
    private final Map<String, String> aliases; // symlink name -> hierarchy dir name, e.g. cpu -> cpu,cpuacct
    private final boolean hybrid;

    private V1Driver(Path root, Map<String, Hierarchy> byController, Map<String, Hierarchy> others,
            Map<String, String> aliases, boolean hybrid) {
        this.root = root;
        this.byController = byController;
        this.others = others;
        this.aliases = aliases;
        this.hybrid = hybrid;
    }

    /** The v1 hierarchies under root, or null when there are none. */
    static V1Driver scan(Path root) throws PelagosException {
        Map<String, Hierarchy> byController = new LinkedHashMap<>();
        Map<String, Hierarchy> others = new LinkedHashMap<>();
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
                others.putIfAbsent(UNIFIED, new Hierarchy(name, entry, List.of(UNIFIED)));
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
            if (controllers.isEmpty()) {
                // a named hierarchy (mounted with -o none,name=NAME under a directory of that name)
                others.putIfAbsent("name=" + name, new Hierarchy(name, entry, List.of("name=" + name)));
                continue;
            }
            Hierarchy h = new Hierarchy(name, entry, controllers);
            for (String c : controllers) {
                byController.putIfAbsent(c, h);
            }
        }
        if (byController.isEmpty()) {
            return null;
        }
        aliases.keySet().removeIf(alias -> !byController.containsKey(alias));
        return new V1Driver(root, byController, others, aliases, hybrid);
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

    /** The distinct hierarchies of the limits' controllers (the ones mounted inside a container). */
    private List<Hierarchy> joinedHierarchies() {
        return distinct(JOINED);
    }

    /** The keys of every hierarchy a container joins, in a stable order: JOINED first. */
    private List<String> allKeys() {
        List<String> keys = new ArrayList<>(JOINED);
        for (String c : KNOWN) {
            if (!keys.contains(c)) {
                keys.add(c);
            }
        }
        keys.addAll(others.keySet());
        return keys;
    }

    private Hierarchy hierarchy(String key) {
        Hierarchy h = byController.get(key);
        return h != null ? h : others.get(key);
    }

    private List<Hierarchy> distinct(List<String> keys) {
        List<Hierarchy> out = new ArrayList<>();
        for (String c : keys) {
            Hierarchy h = hierarchy(c);
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
        return make(relativePath, resources, false);
    }

    @Override
    public Cgroup join(String relativePath, Resources resources) throws PelagosException {
        return make(relativePath, resources, true);
    }

    /** mkdir -p in every hierarchy, then the limits; on failure, removes only what it made. */
    private Cgroup make(String relativePath, Resources resources, boolean existingIsFine) throws PelagosException {
        CgroupPath path = CgroupPath.parse(relativePath);
        requireControllers(resources, availableControllers());
        List<Hierarchy> hierarchies = distinct(allKeys());
        if (!existingIsFine) {
            for (Hierarchy h : hierarchies) {
                if (Files.exists(path.under(h.mountDir()))) {
                    throw exists(path, h);
                }
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
                    } else if (!existingIsFine && dir.equals(path.under(h.mountDir()))) {
                        throw exists(path, h);
                    }
                    if (h.controllers().contains("cpuset")) {
                        V1Cpuset.inherit(dir); // only where empty: a prepared cgroup keeps its own
                    }
                }
            }
            V1Cgroup cgroup = new V1Cgroup(path, leafDirs(path, false));
            cgroup.apply(resources, !existingIsFine);
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

    private static PelagosException exists(CgroupPath path, Hierarchy h) {
        return PelagosException.conflict("cgroup " + path + " already exists in the " + h.name() + " hierarchy",
                "another container may be using it; remove it or choose another name");
    }

    /** The container's directory per hierarchy key (co-mounted controllers share a path), JOINED first. */
    private Map<String, Path> leafDirs(CgroupPath path, boolean onlyExisting) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String c : allKeys()) {
            Hierarchy h = hierarchy(c);
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
