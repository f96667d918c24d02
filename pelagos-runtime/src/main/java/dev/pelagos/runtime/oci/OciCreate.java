package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.Cgroup;
import dev.pelagos.cgroup.CgroupDriver;
import dev.pelagos.cgroup.CgroupMount;
import dev.pelagos.cgroup.Resources;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.seccomp.SeccompChoice;
import dev.pelagos.runtime.seccomp.SeccompFilter;
import dev.pelagos.runtime.seccomp.SeccompFilters;
import dev.pelagos.runtime.seccomp.SeccompProfileParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pelagos create}: validates the bundle, claims the id, makes the cgroup and hands over to
 * the helper, which builds the container, leaves its process waiting on the exec FIFO and exits
 * (the caller's subreaper adopts the process, as with runc). Without create-time hooks this
 * process *becomes* the helper; with them the helper runs as a child so that the hooks can run
 * once the process exists.
 */
public final class OciCreate {
    private static final System.Logger LOG = System.getLogger(OciCreate.class.getName());

    private OciCreate() {
    }

    /** Everything the command line gives besides the bundle. */
    public record Request(String id, Path bundle, BundlePlanner.Options options, boolean systemdCgroup, Path seccompCache,
            java.util.function.Consumer<String> warnings) {
        public Request(String id, Path bundle, BundlePlanner.Options options, boolean systemdCgroup, Path seccompCache) {
            this(id, bundle, options, systemdCgroup, seccompCache, w -> { });
        }
    }

    /** Creates the container; returns normally only when hooks ran (otherwise the process became the helper). */
    public static void create(OciRuntime rt, Request rq) throws PelagosException {
        OciStore.checkId(rq.id());
        Path bundle = rq.bundle().toAbsolutePath().normalize();
        OciConfig config = OciConfigReader.read(bundle);
        ConfigValidator.validate(config, bundle);
        LOG.log(System.Logger.Level.DEBUG, "create {0}: {1}/config.json read and validated", rq.id(), bundle);
        OciConfig.Linux linux = config.linux();
        String cgroupPath = OciCgroups.resolvePath(linux == null ? null : linux.cgroupsPath(), rq.id(), rq.systemdCgroup());
        Resources resources = OciCgroups.resources(linux == null ? null : linux.resources());
        // checked before anything is made: a bad rule is a config error, not a half-made container
        List<dev.pelagos.cgroup.DeviceRule> deviceRules =
                V1ExtraControllers.rules(linux == null || linux.resources() == null ? null : linux.resources().devices());
        dev.pelagos.cgroup.DeviceFilter.of(deviceRules);
        LaunchPlan.Capabilities caps = BundlePlanner.capabilities(config.process().capabilities());
        byte[] seccomp = seccomp(linux, caps.bounding(), rq.seccompCache());

        OciStore store = rt.store();
        rt.sweepIfStale(rq.id());
        Path dir = store.claim(rq.id());
        Cgroup cgroup = null;
        Path devices = null;
        List<Path> extra = new ArrayList<>();
        try {
            CgroupDriver driver = CgroupDriver.detect();
            cgroup = createOrJoin(driver, cgroupPath, resources, rq.warnings());
            V1ExtraControllers.memoryExtras(cgroupPath, linux);
            V1ExtraControllers.weightDevices(cgroupPath, linux);
            V1ExtraControllers.unified(driver.version(), driver.root().resolve(cgroupPath), linux);
            devices = V1ExtraControllers.create(cgroupPath, deviceRules);
            List<String> procs = strings(cgroup.procsFiles());
            List<String> dirs = strings(cgroup.directories());
            if (devices != null) {
                extra.add(devices);
            }
            extra.addAll(V1ExtraControllers.network(cgroupPath, linux));
            // the cgroup module joins every v1 hierarchy; these only matter where it did not
            List<Path> joined = cgroup.directories();
            extra.removeIf(joined::contains);
            for (Path d : extra) {
                procs.add(d.resolve("cgroup.procs").toString());
                dirs.add(d.toString());
            }
            List<CgroupMount> cgroupMounts = needsCgroupMount(config)
                    ? CgroupBinds.forConfig(driver.containerMounts(), driver.root(), cgroupPath, config) : List.of();
            LaunchPlan plan = BundlePlanner.plan(config, bundle, dir, rq.options(), cgroupMounts, procs, dirs, seccomp);
            plan = new LaunchPlan(plan.mode(), BundlePlanner.withPersonality(plan.process(), linux), plan.filesystem(),
                    plan.namespaces(), plan.lifecycle());
            if (seccomp != null) {
                Files.write(dir.resolve(OciContainer.SECCOMP), seccomp);
            }
            int nsFlags = plan.namespaces().cloneFlags();
            for (LaunchPlan.NamespacePath j : plan.namespaces().joins()) {
                nsFlags |= j.type();
            }
            OciConfig.Process p = config.process();
            List<Long> gids = p.user() == null || p.user().additionalGids() == null ? List.of() : p.user().additionalGids();
            OciRecord record = new OciRecord(config.ociVersion(), rq.id(), bundle.toString(),
                    bundle.resolve(config.root().path()).normalize().toString(), System.currentTimeMillis(),
                    selfPid(), config.annotations() == null ? Map.of() : config.annotations(), cgroupPath,
                    config.hooks(), nsFlags, plan.process().uid(), plan.process().gid(), gids, plan.process().env(),
                    plan.process().cwd(), new long[] {caps.bounding(), caps.effective(), caps.permitted(), caps.inheritable(),
                        caps.ambient()}, plan.process().noNewPrivileges(), seccomp != null,
                    strings(extra));
            store.save(dir, record);

            OciConfig.Hooks h = config.hooks();
            boolean createHooks = h != null && (notEmpty(h.prestart()) || notEmpty(h.createRuntime()) || notEmpty(h.createContainer()));
            if (createHooks && plan.mode() != dev.pelagos.runtime.launch.SpecTag.Mode.CREATE) {
                throw new PelagosException(dev.pelagos.base.ErrorKind.UNSUPPORTED,
                        "'run' of a bundle with prestart, createRuntime or createContainer hooks is not supported",
                        "use 'pelagos create' then 'pelagos start'");
            }
            LOG.log(System.Logger.Level.DEBUG, "create {0}: cgroup {1} ready, state in {2}; starting the helper (mode {3})",
                    rq.id(), cgroupPath, dir, plan.mode());
            if (!createHooks) {
                rt.helper().become(plan);
            }
            spawnAndRunHooks(rt, rq.id(), plan, dir, h);
        } catch (PelagosException | IOException | RuntimeException e) {
            undo(rt, rq.id(), cgroup);
            extra.forEach(d -> V1ExtraControllers.remove(d.toString()));
            if (e instanceof PelagosException pe) {
                throw pe;
            }
            if (e instanceof IOException io) {
                throw PelagosException.io("create container " + rq.id(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * A new cgroup, or (like runc) an existing one the caller prepared: its limits are updated,
     * but a frozen one is refused, since the container would never run.
     */
    private static Cgroup createOrJoin(CgroupDriver driver, String path, Resources resources,
            java.util.function.Consumer<String> warnings) throws PelagosException {
        try {
            return driver.create(path, resources);
        } catch (PelagosException e) {
            if (e.kind() != dev.pelagos.base.ErrorKind.CONFLICT) {
                throw e;
            }
            if (driver.open(path).frozen()) {
                throw PelagosException.conflict("container's cgroup unexpectedly frozen: " + path,
                        "thaw it (or remove it) before creating a container in it");
            }
            // it may exist in only some hierarchies (prepared for one controller's settings): join makes the rest
            Cgroup existing = driver.join(path, resources);
            int n = existing.pids().size();
            if (n > 0) {
                warnings.accept("container's cgroup is not empty: " + n + " process(es) found in " + path);
            }
            return existing;
        }
    }

    private static void spawnAndRunHooks(OciRuntime rt, String id, LaunchPlan plan, Path dir, OciConfig.Hooks h)
            throws PelagosException {
        Path specFile = dir.resolve("spec.bin");
        Process helper = rt.helper().spawn(plan, specFile);
        int rc;
        try {
            rc = helper.waitFor();
        } catch (InterruptedException e) {
            helper.destroyForcibly();
            Thread.currentThread().interrupt();
            throw PelagosException.conflict("create of container '" + id + "' was interrupted", null);
        } finally {
            try {
                Files.deleteIfExists(specFile);
            } catch (IOException e) {
                // the directory goes with the container
            }
        }
        if (rc != 0) {
            throw PelagosException.invalid("container '" + id + "' could not be created (the helper's error is above)",
                    "fix the bundle's config.json");
        }
        OciContainer c = rt.store().load(id);
        String state = OciStateJson.compact(OciStateJson.of(c, OciStatus.CREATED));
        try {
            HookRunner.runAll("prestart", h.prestart(), state);
            HookRunner.runAll("createRuntime", h.createRuntime(), state);
            HookRunner.runAll("createContainer", h.createContainer(), state);
        } catch (PelagosException e) {
            NativeSignal.kill(rt.helper(), c);
            throw e;
        }
    }

    /** Leaves nothing of a failed create: the container process, its cgroup and its state directory. */
    private static void undo(OciRuntime rt, String id, Cgroup cgroup) {
        try {
            OciContainer c = rt.store().loadOrNull(id);
            if (c != null && c.pid() > 0) {
                NativeSignal.kill(rt.helper(), c);
            }
            if (cgroup != null) {
                cgroup.destroy();
            }
        } catch (PelagosException e) {
            // best effort: the original error is what the user needs
        }
        try {
            rt.store().remove(id);
        } catch (PelagosException e) {
            // best effort, as above
        }
    }

    /** Our pid via /proc/self (ProcessHandle starts a thread pool on first use). */
    private static long selfPid() throws IOException {
        return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
    }

    private static boolean needsCgroupMount(OciConfig c) {
        if (c.mounts() == null) {
            return false;
        }
        return c.mounts().stream().anyMatch(m -> "cgroup".equals(m.type()) || "cgroup2".equals(m.type()));
    }

    private static byte[] seccomp(OciConfig.Linux linux, long capMask, Path cache) throws PelagosException {
        if (linux == null || linux.seccomp() == null) {
            return null;
        }
        Optional<SeccompFilter> f = SeccompFilters.prepare(
                SeccompChoice.oci(SeccompProfileParser.fromJsonTree(linux.seccomp(), "config.json linux.seccomp")), capMask, cache);
        return f.map(SeccompFilter::bpf).orElse(null);
    }

    private static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    private static List<String> strings(List<Path> paths) {
        List<String> out = new ArrayList<>();
        for (Path p : paths) {
            out.add(p.toString());
        }
        return out;
    }
}
