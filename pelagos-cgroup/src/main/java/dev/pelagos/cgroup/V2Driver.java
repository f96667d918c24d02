package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The unified hierarchy: one directory per container, controllers enabled top-down. */
final class V2Driver implements CgroupDriver {
    /** Controllers a container's cgroup gets when the host has them (limits and stats). */
    private static final List<String> WANTED = List.of("cpuset", "cpu", "io", "memory", "pids");

    private final Path root;

    V2Driver(Path root) {
        this.root = root;
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public String layout() {
        return "unified";
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public List<String> availableControllers() {
        try {
            String s = CgroupFiles.readIfExists(root, "cgroup.controllers");
            return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
        } catch (PelagosException e) {
            return List.of();
        }
    }

    @Override
    public Cgroup create(String relativePath, Resources resources) throws PelagosException {
        return make(relativePath, resources, false);
    }

    @Override
    public Cgroup join(String relativePath, Resources resources) throws PelagosException {
        return make(relativePath, resources, true);
    }

    private Cgroup make(String relativePath, Resources resources, boolean existingIsFine) throws PelagosException {
        CgroupPath path = CgroupPath.parse(relativePath);
        List<String> available = availableControllers();
        requireControllers(resources, available);
        List<String> enable = WANTED.stream().filter(available::contains).toList();
        Path leaf = path.under(root);
        if (!existingIsFine && Files.exists(leaf)) {
            throw PelagosException.conflict("cgroup " + path + " already exists under " + root,
                    "another container may be using it; remove it or choose another name");
        }
        List<Path> created = new ArrayList<>();
        try {
            Path dir = root;
            for (String segment : path.segments()) {
                enableControllers(dir, enable);
                dir = dir.resolve(segment);
                if (CgroupFiles.mkdir(dir)) {
                    created.add(dir);
                } else if (!existingIsFine && dir.equals(leaf)) {
                    throw PelagosException.conflict("cgroup " + path + " already exists under " + root,
                            "another container may be using it; remove it or choose another name");
                }
            }
            applyAll(leaf, resources, !existingIsFine);
            return new V2Cgroup(path, leaf);
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

    /** Each limit needs its controller; say which is missing rather than drop the limit. */
    static void requireControllers(Resources r, List<String> available) throws PelagosException {
        RequiredControllers.check(r, available, "io", "not available", "enable the controller on the host, or leave out those limits");
    }

    /** Writes "+ctrl" for each controller not yet in dir's cgroup.subtree_control. */
    private static void enableControllers(Path dir, List<String> controllers) throws PelagosException {
        String current = CgroupFiles.readIfExists(dir, "cgroup.subtree_control");
        List<String> have = current == null ? List.of() : Arrays.asList(current.trim().split("\\s+"));
        for (String c : controllers) {
            if (!have.contains(c)) {
                try {
                    CgroupFiles.write(dir, "cgroup.subtree_control", "+" + c, "the " + c + " controller for child cgroups");
                } catch (PelagosException e) {
                    throw new PelagosException(e.kind() == ErrorKind.INVALID_INPUT ? ErrorKind.UNSUPPORTED : e.kind(),
                            "cannot enable the " + c + " controller in " + dir + ": " + e.getMessage(),
                            "a v2 cgroup with processes in it cannot delegate controllers; choose a --cgroup-parent"
                                    + " without processes", e);
                }
            }
        }
    }

    static void applyAll(Path dir, Resources r, boolean creating) throws PelagosException {
        V2Memory.apply(dir, r, creating);
        V2Cpu.apply(dir, r);
        V2Cpuset.apply(dir, r);
        V2Pids.apply(dir, r);
        V2Io.apply(dir, r);
    }

    @Override
    public Cgroup open(String relativePath) throws PelagosException {
        CgroupPath path = CgroupPath.parse(relativePath);
        Path dir = path.under(root);
        if (!Files.isDirectory(dir)) {
            throw PelagosException.notFound("cgroup " + path + " does not exist under " + root,
                    "the container may have exited and been cleaned up");
        }
        return new V2Cgroup(path, dir);
    }

    @Override
    public List<CgroupMount> containerMounts() {
        return List.of(new CgroupMount(CgroupMount.Kind.MOUNT, "cgroup2", "/sys/fs/cgroup", "cgroup2",
                CgroupMount.READ_ONLY, ""));
    }
}
