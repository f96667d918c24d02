package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.PelagosPaths;
import dev.pelagos.runtime.launch.Helper;
import dev.pelagos.runtime.launch.HostFacts;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.Planner;
import dev.pelagos.runtime.launch.ResolvedRoot;
import dev.pelagos.runtime.launch.SeccompProvider;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.rootfs.DirRootView;
import dev.pelagos.runtime.seccomp.SeccompFilters;
import dev.pelagos.runtime.spec.ContainerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Creating and starting containers: claims the name, writes the state, plans the launch and hands
 * it to the helper. A failure before the hand-off leaves nothing behind.
 */
public final class Containers {
    private final PelagosPaths paths;
    private final Helper helper;
    private final ContainerStore store;
    private final SeccompProvider seccomp;

    public Containers(PelagosPaths paths, Path home) {
        this.paths = paths;
        this.helper = new Helper(home);
        this.store = new ContainerStore(paths.runtime());
        this.seccomp = (choice, caps) -> SeccompFilters.forContainer(choice, caps, paths.seccompCache());
    }

    /** A container whose state exists and whose launch is planned, not yet started. */
    public record Prepared(ContainerId id, String name, Path stateDir, LaunchPlan plan) {
    }

    public Prepared prepare(ContainerConfig c, SpecTag.Mode mode) throws PelagosException {
        ContainerId id = ContainerId.random();
        String name = c.name() != null ? c.name() : "pelagos-" + id.value().substring(0, 8);
        ResolvedRoot root = resolveRoot(c);
        Path stateDir = store.create(id, name);
        try {
            List<String> cleanup = new ArrayList<>();
            if (c.autoRemove()) {
                cleanup.add(stateDir.toString());
                cleanup.add(store.nameEntry(name).toString());
            }
            Planner.Context ctx = new Planner.Context(id.value(), name, stateDir, paths.volumes(), cleanup, null,
                    mode == SpecTag.Mode.DETACH ? id.value() : null);
            LaunchPlan plan = Planner.plan(mode, c, root, ctx, seccomp, HostFacts.boundingSet());
            store.writeRecord(stateDir, new ContainerRecord(id.value(), name, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                    c.image(), c.rootfs() != null ? c.rootfs().toString() : null, plan.process().args(),
                    plan.namespaces().hostname(), c.autoRemove(), c.labels()));
            return new Prepared(id, name, stateDir, plan);
        } catch (PelagosException | RuntimeException e) {
            store.discard(id, name);
            throw e;
        }
    }

    /** Becomes the helper (this process ends with the container's exit code). */
    public void runInPlace(Prepared p) throws PelagosException {
        try {
            helper.become(p.plan());
        } catch (PelagosException e) {
            store.discard(p.id(), p.name());
            throw e;
        }
    }

    private ResolvedRoot resolveRoot(ContainerConfig c) throws PelagosException {
        if (c.rootfs() != null) {
            return new ResolvedRoot(c.rootfs(), null, new DirRootView(c.rootfs()), ResolvedRoot.ImageDefaults.NONE);
        }
        throw new PelagosException(dev.pelagos.base.ErrorKind.UNSUPPORTED, "running images is not available yet in this build",
                "use --rootfs DIR");
    }
}
