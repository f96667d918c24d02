package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup layout of this host and how to make containers' cgroups in it. {@link #detect()} picks
 * v2 (the unified hierarchy, the primary driver) or v1 (a controller per mount, including hybrid
 * hosts whose cgroup2 mount carries none of the controllers we need).
 */
public sealed interface CgroupDriver permits V2Driver, V1Driver {
    /** The standard mount point. */
    Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");

    /** Detects the layout mounted at /sys/fs/cgroup. */
    static CgroupDriver detect() throws PelagosException {
        return detect(DEFAULT_ROOT);
    }

    /**
     * Detects the layout under {@code root} (a parameter so tests can point it at a temp tree): a
     * {@code cgroup.controllers} file at the root means v2; per-controller directories holding
     * {@code cgroup.procs} mean v1.
     */
    static CgroupDriver detect(Path root) throws PelagosException {
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
            return new V2Driver(root);
        }
        V1Driver v1 = V1Driver.scan(root);
        if (v1 != null) {
            return v1;
        }
        throw new PelagosException(ErrorKind.UNSUPPORTED, "no cgroup hierarchy found at " + root,
                "mount cgroup2 at " + root + " (or the v1 controllers under it)");
    }

    /** 1 or 2. */
    int version();

    /** "unified" (v2), "hybrid" (v1 controllers plus a cgroup2 mount) or "legacy" (v1 only). */
    String layout();

    /** The mount point the driver works under. */
    Path root();

    /** Controllers usable for containers, by kernel name (v1: blkio, cpuacct, freezer...; v2: io, cpu...). */
    List<String> availableControllers();

    default boolean available(String controller) {
        return availableControllers().contains(controller);
    }

    /**
     * Creates a container's cgroup at {@code relativePath} (from the hierarchy root, e.g.
     * "pelagos/3f2a") and applies the limits, before any process is in it. A limit whose controller
     * or control file is missing fails with UNSUPPORTED; on any failure nothing this call made is
     * left behind. An existing cgroup at that path is a CONFLICT.
     */
    Cgroup create(String relativePath, Resources resources) throws PelagosException;

    /**
     * Like {@link #create}, but a cgroup that already exists at that path, in some hierarchies or
     * all (one the caller prepared), is joined rather than refused: the missing directories are
     * made and the limits applied. On failure only the directories this call made are removed.
     */
    Cgroup join(String relativePath, Resources resources) throws PelagosException;

    /** A handle on an existing cgroup (for stats, update, pause, kill, rm); NOT_FOUND if absent. */
    Cgroup open(String relativePath) throws PelagosException;

    /** The steps that build a read-only /sys/fs/cgroup inside a container (see {@link CgroupMount}). */
    List<CgroupMount> containerMounts();
}
