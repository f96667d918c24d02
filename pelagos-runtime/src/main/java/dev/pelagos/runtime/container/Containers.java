package dev.pelagos.runtime.container;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.base.PelagosPaths;
import dev.pelagos.runtime.launch.Helper;
import dev.pelagos.runtime.launch.HostFacts;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.Planner;
import dev.pelagos.runtime.launch.ResolvedRoot;
import dev.pelagos.runtime.launch.SeccompProvider;
import dev.pelagos.runtime.launch.SpecEncoder;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.rootfs.DirRootView;
import dev.pelagos.runtime.seccomp.SeccompFilters;
import dev.pelagos.runtime.spec.ContainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creating and starting containers: claims the name, writes the state, plans the launch and hands
 * it to the helper. A failure before the hand-off leaves nothing behind. The other lifecycle
 * operations live in {@link Lifecycle}.
 */
public final class Containers {
    private final PelagosPaths paths;
    private final Helper helper;
    private final ContainerStore store;
    private final SeccompProvider seccomp;
    private final ContainerNetwork network;

    public Containers(PelagosPaths paths, Path home) {
        this.paths = paths;
        this.helper = new Helper(home);
        this.store = new ContainerStore(paths.runtime());
        this.network = new ContainerNetwork(store, paths.runtime(), paths.data(), helper.jniLibrary());
        this.seccomp = (choice, caps) -> SeccompFilters.forContainer(choice, caps, paths.seccompCache());
    }

    public ContainerStore store() {
        return store;
    }

    public Helper helper() {
        return helper;
    }

    public Lifecycle lifecycle() {
        return new Lifecycle(store, helper, paths.data().resolve("overlay"), network);
    }

    /** A container whose state exists and whose launch is planned, not yet started. */
    public record Prepared(ContainerId id, String name, Path stateDir, LaunchPlan plan) {
    }

    public Prepared prepare(ContainerConfig c, SpecTag.Mode mode) throws PelagosException {
        ContainerId id = ContainerId.random();
        String name = c.name() != null ? c.name() : "pelagos-" + id.value().substring(0, 8);
        ResolvedRoot root = resolveRoot(c, id);
        dev.pelagos.base.StartupTrace.mark("root resolved");
        dev.pelagos.cgroup.CgroupDriver driver = dev.pelagos.cgroup.CgroupDriver.detect();
        dev.pelagos.base.StartupTrace.mark("cgroup driver detected");
        dev.pelagos.cgroup.Resources resources = ContainerCgroup.resources(driver, c);
        String cgroupPath = ContainerCgroup.path(c, id.value());
        // looked up before anything is made: a missing network or --device is an error that leaves nothing behind
        List<dev.pelagos.runtime.network.NetworkDef> nets = c.network() == dev.pelagos.runtime.spec.NetworkMode.BRIDGE
                ? network.resolve(c.networks()) : List.of();
        Container sharedWith = c.network() == dev.pelagos.runtime.spec.NetworkMode.CONTAINER
                ? network.sharedTarget(c.networks().getFirst()) : null;
        List<dev.pelagos.runtime.launch.HostDevices.HostDevice> hostDevices =
                dev.pelagos.runtime.launch.HostDevices.resolve(c.devices());
        List<dev.pelagos.cgroup.DeviceRule> devices = DeviceRules.forRun(c.privileged(), hostDevices, c.deviceCgroupRules());
        dev.pelagos.base.StartupTrace.mark("resources");
        Path stateDir = store.create(id, name);
        dev.pelagos.base.StartupTrace.mark("cgroup driver + state dir");
        dev.pelagos.cgroup.Cgroup cgroup = null;
        ContainerNetwork.Attached attached = null;
        try {
            // a first record before the cgroup exists: a crash between the two must not leak the cgroup
            store.writeRecord(stateDir, ContainerStore.placeholder(id, name, cgroupPath));
            cgroup = driver.create(cgroupPath, resources);
            DeviceCgroup.apply(driver, cgroupPath, devices, helper.jniLibrary());
            if (!c.autoRemove()) {
                DeviceCgroup.save(stateDir, devices); // for `start` again; a --rm container never starts again
            }
            if (!nets.isEmpty()) {
                ContainerNetwork.noteNames(stateDir, c.dns()); // before the name service is asked to look
                attached = network.attach(id.value(), stateDir, nets, c.ports());
            }
            Planner.Network netPlan = attached != null ? attached.plan()
                    : sharedWith != null ? ContainerNetwork.linkShared(stateDir, sharedWith) : null;
            dev.pelagos.base.StartupTrace.mark("cgroup created");
            List<String> cleanup = new ArrayList<>();
            if (c.image() != null) {
                ImageRoot.createDirs(overlayDir(id));
            }
            if (c.autoRemove()) {
                if (attached != null) {
                    // the addresses go back when the container ends; the namespace ends with it by itself
                    attached.claims().forEach(claim -> cleanup.add(claim.toString()));
                }
                cleanup.add(stateDir.toString());
                cleanup.add(store.nameEntry(name).toString());
                if (c.image() != null) {
                    cleanup.add(overlayDir(id).toString());
                }
            }
            // a foreground --rm container is gone when it ends: nobody could read its log
            Path log = mode == SpecTag.Mode.RUN && c.autoRemove() ? null : stateDir.resolve("container.log");
            List<String> onFailure = new ArrayList<>(List.of(stateDir.toString(), store.nameEntry(name).toString()));
            if (attached != null) {
                attached.claims().forEach(claim -> onFailure.add(claim.toString()));
            }
            if (c.image() != null) {
                onFailure.add(overlayDir(id).toString());
            }
            Planner.Context ctx = new Planner.Context(id.value(), name, stateDir, paths.volumes(), cleanup, null,
                    mode == SpecTag.Mode.DETACH ? id.value() : null, log, ContainerCgroup.files(driver, cgroup, resources),
                    onFailure, netPlan, hostDevices);
            LaunchPlan plan = Planner.plan(mode, c, root, ctx, seccomp, HostFacts.boundingSet());
            dev.pelagos.base.StartupTrace.mark("planned");
            String stopSignal = root.defaults().stopSignal() != null ? root.defaults().stopSignal() : "SIGTERM";
            store.writeRecord(stateDir, record(id, name, c, plan, cgroupPath, stopSignal, root.imageReference()));
            dev.pelagos.base.StartupTrace.mark("record written");
            dev.pelagos.base.StartupTrace.mark("filter");
            byte[] filter = plan.process().seccomp();
            if (filter != null) {
                Files.write(stateDir.resolve("seccomp.bpf"), filter);
            }
            if (!c.autoRemove()) {
                // kept for 'pelagos start' of the stopped container
                Files.write(stateDir.resolve("spec"), SpecEncoder.encode(plan));
            }
            store.writeLauncher(stateDir);
            dev.pelagos.base.StartupTrace.mark("state written");
            return new Prepared(id, name, stateDir, plan);
        } catch (IOException e) {
            undo(id, name, cgroup, attached != null);
            throw PelagosException.io("write the state of container " + name, e);
        } catch (PelagosException | RuntimeException e) {
            undo(id, name, cgroup, attached != null);
            throw e;
        }
    }

    /** A start that failed before the hand-off leaves nothing behind: no state, no name, no cgroup. */
    private void undo(ContainerId id, String name, dev.pelagos.cgroup.Cgroup cgroup, boolean networked) {
        if (networked) {
            try {
                network.detach(id.value());
            } catch (PelagosException e) {
                System.getLogger(Containers.class.getName()).log(System.Logger.Level.WARNING,
                        "could not release the network of " + id.value() + ": " + e.getMessage());
            }
        }
        store.discard(id, name);
        ImageRoot.removeDirs(overlayDir(id));
        if (cgroup != null) {
            try {
                cgroup.destroy();
            } catch (PelagosException e) {
                System.getLogger(Containers.class.getName()).log(System.Logger.Level.WARNING,
                        "could not remove cgroup " + cgroup.path() + ": " + e.getMessage());
            }
        }
    }

    /** The namespaces the container has, made or joined (a bridge network's is joined): exec enters the same. */
    private static int namespaces(LaunchPlan.NamespacePlan ns) {
        int flags = ns.cloneFlags();
        for (LaunchPlan.NamespacePath j : ns.joins()) {
            flags |= j.type();
        }
        return flags;
    }

    private static ContainerRecord record(ContainerId id, String name, ContainerConfig c, LaunchPlan plan, String cgroupPath,
            String stopSignal, String imageReference) {
        LaunchPlan.ProcessPlan p = plan.process();
        List<ContainerRecord.MountInfo> mounts = new ArrayList<>();
        for (dev.pelagos.runtime.spec.MountRequest m : c.mounts()) {
            mounts.add(switch (m) {
                case dev.pelagos.runtime.spec.MountRequest.Bind b ->
                        new ContainerRecord.MountInfo("bind", b.source().toString(), b.target(), b.readOnly());
                case dev.pelagos.runtime.spec.MountRequest.Volume v ->
                        new ContainerRecord.MountInfo("volume", v.name(), v.target(), v.readOnly());
                case dev.pelagos.runtime.spec.MountRequest.Tmpfs t ->
                        new ContainerRecord.MountInfo("tmpfs", "", t.target(), t.options().contains("ro"));
            });
        }
        return new ContainerRecord(id.value(), name, Timestamps.now(), imageReference,
                c.rootfs() != null ? c.rootfs().toString() : null, p.args(), p.env(), p.cwd(), p.uid(), p.gid(), p.groups(),
                plan.namespaces().hostname(), c.autoRemove(), c.tty(), c.interactive(), p.noNewPrivileges(),
                p.caps() == null ? 0 : p.caps().effective(), namespaces(plan.namespaces()), stopSignal, mounts,
                plan.lifecycle().cgroupProcs(), plan.lifecycle().cgroupRmdir(), cgroupPath, c.resourceFlags(), c.labels());
    }

    /** Undoes a prepared container that will not be started: its state, name and cgroup. */
    public void discardPrepared(Prepared p) throws PelagosException {
        for (String dir : p.plan().lifecycle().cgroupRmdir()) {
            new java.io.File(dir).delete();
        }
        if (!ContainerNetwork.endpoints(p.stateDir()).isEmpty()) {
            network.detach(p.id().value());
        }
        store.discard(p.id(), p.name());
        ImageRoot.removeDirs(overlayDir(p.id()));
    }

    /** Becomes the helper (this process ends with the container's exit code, or after a detached start). */
    public void runInPlace(Prepared p) throws PelagosException {
        try {
            helper.become(p.plan());
        } catch (PelagosException e) {
            discardPrepared(p);
            throw e;
        }
    }

    private ResolvedRoot resolveRoot(ContainerConfig c, ContainerId id) throws PelagosException {
        if (c.rootfs() != null) {
            return new ResolvedRoot(c.rootfs(), null, new DirRootView(c.rootfs()), ResolvedRoot.ImageDefaults.NONE);
        }
        dev.pelagos.image.LocalImage image = dev.pelagos.image.ImageStore.open(paths.data()).find(c.image())
                .orElseThrow(() -> PelagosException.notFound("image '" + c.image() + "' not found locally",
                        "pull it first: pelagos image pull " + c.image()));
        return ImageRoot.of(image, overlayDir(id));
    }

    /** Where a container's overlay (upper, work, merged) lives: on disk, beside the images. */
    public Path overlayDir(ContainerId id) {
        return paths.data().resolve("overlay").resolve(id.value());
    }
}
