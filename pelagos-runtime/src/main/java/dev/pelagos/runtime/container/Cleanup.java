package dev.pelagos.runtime.container;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.CgroupDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds and removes what crashed containers left behind: empty cgroups, overlay directories,
 * network namespace files and published ports of containers that no longer exist, and names that
 * point at nothing. It never touches anything
 * that belongs to a container that still exists, and never kills a process.
 */
public final class Cleanup {
    private final ContainerStore store;
    private final Path overlayRoot;
    private final Path namesDir;
    private final dev.pelagos.runtime.network.BridgeNetwork bridge;
    private final dev.pelagos.runtime.network.PortForwards forwards;

    public Cleanup(ContainerStore store, Path overlayRoot, Path runtimeDir, Path jniLibrary) {
        this.store = store;
        this.overlayRoot = overlayRoot;
        this.namesDir = runtimeDir.resolve("names");
        this.bridge = new dev.pelagos.runtime.network.BridgeNetwork(runtimeDir);
        this.forwards = new dev.pelagos.runtime.network.PortForwards(runtimeDir, jniLibrary);
    }

    /** Returns a line per resource removed. */
    public List<String> run() throws PelagosException {
        Set<String> ids = new HashSet<>();
        for (Container c : store.list()) {
            ids.add(c.id().value());
        }
        List<String> removed = new ArrayList<>();
        // cgroups: <parent>/<64-hex id> whose container is gone (default parent only)
        CgroupDriver driver = CgroupDriver.detect();
        for (String id : childrenNamedLikeIds(driver.root(), driver)) {
            if (!ids.contains(id)) {
                try {
                    // only empty ones: a cgroup with processes may belong to a container of another state root
                    dev.pelagos.cgroup.Cgroup cg = driver.open("pelagos/" + id);
                    // a young empty cgroup may be a container of another state root being started right now
                    if (!cg.pids().isEmpty() || youngerThan(cg.directories(), java.time.Duration.ofSeconds(60))) {
                        continue;
                    }
                    cg.destroy();
                    removed.add("cgroup pelagos/" + id);
                } catch (PelagosException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
        for (String id : list(overlayRoot)) {
            if (ContainerId.isValid(id) && !ids.contains(id)) {
                ImageRoot.removeDirs(overlayRoot.resolve(id));
                removed.add("overlay " + id.substring(0, 12));
            }
        }
        // a bridge namespace file whose container never reached its helper (or is gone), and its address
        for (String id : list(bridge.netnsDir())) {
            if (ContainerId.isValid(id) && !ids.contains(id)) {
                bridge.detach(id);
                removed.add("network namespace " + id.substring(0, 12));
            }
        }
        // published ports of containers that are gone (a --rm one that ended keeps them until its address is reused)
        for (String id : forwards.owners()) {
            if (!ids.contains(id)) {
                forwards.unpublish(id);
                removed.add("published ports of " + id.substring(0, Math.min(12, id.length())));
            }
        }
        for (String name : list(namesDir)) {
            Path entry = namesDir.resolve(name);
            try {
                String id = Files.readString(entry, StandardCharsets.UTF_8).trim();
                if (!name.startsWith(".") && !ids.contains(id)) {
                    Files.deleteIfExists(entry);
                    removed.add("name " + name);
                }
            } catch (IOException e) {
                throw PelagosException.io("read " + entry, e);
            }
        }
        return removed;
    }

    private static boolean youngerThan(List<Path> dirs, java.time.Duration age) {
        long limit = System.currentTimeMillis() - age.toMillis();
        for (Path d : dirs) {
            try {
                if (Files.getLastModifiedTime(d).toMillis() > limit) {
                    return true;
                }
            } catch (IOException e) {
                // gone: not young
            }
        }
        return false;
    }

    /** Container ids with a cgroup under "pelagos" in any hierarchy of the driver. */
    private static Set<String> childrenNamedLikeIds(Path root, CgroupDriver driver) throws PelagosException {
        Set<String> out = new HashSet<>();
        List<Path> parents = new ArrayList<>();
        if (driver.version() == 2) {
            parents.add(root.resolve("pelagos"));
        } else {
            for (String c : driver.availableControllers()) {
                parents.add(root.resolve(c).resolve("pelagos"));
            }
        }
        for (Path p : parents) {
            for (String name : list(p)) {
                if (ContainerId.isValid(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private static List<String> list(Path dir) throws PelagosException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw PelagosException.io("list " + dir, e);
        }
    }
}
