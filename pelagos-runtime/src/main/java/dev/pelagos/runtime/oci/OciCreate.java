package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.Cgroup;
import dev.pelagos.cgroup.CgroupDriver;
import dev.pelagos.cgroup.CgroupMount;
import dev.pelagos.cgroup.Resources;
import dev.pelagos.runtime.launch.LaunchHook;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.RuntimeLog;
import dev.pelagos.runtime.launch.SpecTag;
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
 * (the caller's subreaper adopts the process, as with runc). The helper runs the hooks up to
 * startContainer at their moments (see {@link OciHooks}), and for a run every hook. This process
 * *becomes* the helper, except for a create with create-time hooks, where the helper runs as a
 * child so that a library caller survives it (as the lifecycle integration test does).
 */
public final class OciCreate {
    private OciCreate() {
    }

    /** Everything the command line gives besides the bundle. */
    public record Request(String id, Path bundle, BundlePlanner.Options options, boolean systemdCgroup, Path seccompCache,
            java.util.function.Consumer<String> warnings) {
        public Request(String id, Path bundle, BundlePlanner.Options options, boolean systemdCgroup, Path seccompCache) {
            this(id, bundle, options, systemdCgroup, seccompCache, w -> { });
        }
    }

    /** What a bundle gives before anything is made: read and validated, so a bad one leaves nothing. */
    record Prepared(Path bundle, OciConfig config, String cgroupPath, Resources resources,
            List<dev.pelagos.cgroup.DeviceRule> deviceRules, LaunchPlan.Capabilities caps, byte[] seccomp) {
    }

    /** The container's cgroups, its launch plan and its saved record; {@code extra} lists v1 directories we made. */
    record Made(Cgroup cgroup, List<Path> extra, LaunchPlan plan, OciRecord record) {
    }

    /** Creates the container; returns normally only when hooks ran (otherwise the process became the helper). */
    public static void create(OciRuntime rt, Request rq) throws PelagosException {
        Prepared p = prepare(rq);
        dev.pelagos.base.StartupTrace.mark("config read and validated");
        dev.pelagos.base.DebugLog.log(OciCreate.class, "create {0}: {1}/config.json read and validated", rq.id(), p.bundle());
        OciStore store = rt.store();
        rt.sweepIfStale(rq.id());
        Path dir = store.claim(rq.id());
        dev.pelagos.base.StartupTrace.mark("seccomp ready, id claimed");
        Made made = null;
        try {
            made = make(rt, rq, p, dir);
            LaunchPlan plan = made.plan();
            OciConfig.Hooks h = p.config().hooks();
            // a create waits on the exec FIFO for 'start'; a run (foreground or --detach) goes straight on
            boolean waitsForStart = plan.lifecycle().execFifo() != null;
            boolean helperRemovesState = plan.mode() == SpecTag.Mode.RUN && !rq.options().keep();
            List<LaunchHook> hooks = OciHooks.forHelper(h, waitsForStart, helperRemovesState);
            if (!hooks.isEmpty()) {
                plan = new LaunchPlan(plan.mode(), plan.process(), plan.filesystem(), plan.namespaces(),
                        plan.lifecycle().withHooks(hooks, OciStateJson.withoutPidAndStatus(made.record())));
            }
            boolean createHooks = h != null && (notEmpty(h.prestart()) || notEmpty(h.createRuntime()) || notEmpty(h.createContainer()));
            dev.pelagos.base.StartupTrace.mark("cgroup made, state saved");
            dev.pelagos.base.DebugLog.log(OciCreate.class, "create {0}: cgroup {1} ready, state in {2}; starting the helper (mode {3})",
                    rq.id(), p.cgroupPath(), dir, plan.mode());
            if (!createHooks || !waitsForStart) {
                rt.helper().become(plan);
            }
            spawnAndWait(rt, rq.id(), plan, dir);
        } catch (PelagosException | RuntimeException e) {
            undo(rt, rq.id(), made);
            throw e;
        }
    }

    static Prepared prepare(Request rq) throws PelagosException {
        OciStore.checkId(rq.id());
        Path bundle = rq.bundle().toAbsolutePath().normalize();
        OciConfig config = OciConfigReader.read(bundle);
        ConfigValidator.validate(config, bundle);
        OciConfig.Linux linux = config.linux();
        String cgroupPath = OciCgroups.resolvePath(linux == null ? null : linux.cgroupsPath(), rq.id(), rq.systemdCgroup());
        Resources resources = OciCgroups.resources(linux == null ? null : linux.resources());
        // checked before anything is made: a bad rule is a config error, not a half-made container
        List<dev.pelagos.cgroup.DeviceRule> deviceRules =
                V1ExtraControllers.rules(linux == null || linux.resources() == null ? null : linux.resources().devices());
        dev.pelagos.cgroup.DeviceFilter.of(deviceRules);
        LaunchPlan.Capabilities caps = BundlePlanner.capabilities(config.process().capabilities());
        byte[] seccomp = seccomp(linux, caps.bounding(), rq.seccompCache());
        return new Prepared(bundle, config, cgroupPath, resources, deviceRules, caps, seccomp);
    }

    /**
     * Makes the cgroups, plans the launch and saves the record; on failure the cgroups it made are
     * gone again (the state directory is the caller's).
     */
    static Made make(OciRuntime rt, Request rq, Prepared p, Path dir) throws PelagosException {
        OciConfig config = p.config();
        OciConfig.Linux linux = config.linux();
        String cgroupPath = p.cgroupPath();
        Cgroup cgroup = null;
        List<Path> extra = new ArrayList<>();
        try {
            CgroupDriver driver = CgroupDriver.detect();
            cgroup = createOrJoin(driver, cgroupPath, p.resources(), rq.warnings());
            V1ExtraControllers.memoryExtras(cgroupPath, linux);
            V1ExtraControllers.weightDevices(cgroupPath, linux);
            V1ExtraControllers.unified(driver.version(), driver.root().resolve(cgroupPath), linux);
            Path devices = dev.pelagos.runtime.container.DeviceCgroup.apply(driver, cgroupPath, p.deviceRules(),
                    rt.helper().jniLibrary());
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
            byte[] seccomp = p.seccomp();
            LaunchPlan plan = BundlePlanner.plan(config, p.bundle(), dir, rq.options(), cgroupMounts, procs, dirs, seccomp);
            plan = new LaunchPlan(plan.mode(), BundlePlanner.withPersonality(plan.process(), linux), plan.filesystem(),
                    plan.namespaces(), plan.lifecycle());
            if (seccomp != null) {
                Files.write(dir.resolve(OciContainer.SECCOMP), seccomp);
            }
            int nsFlags = plan.namespaces().cloneFlags();
            for (LaunchPlan.NamespacePath j : plan.namespaces().joins()) {
                nsFlags |= j.type();
            }
            OciConfig.Process proc = config.process();
            List<Long> gids = proc.user() == null || proc.user().additionalGids() == null ? List.of() : proc.user().additionalGids();
            LaunchPlan.Capabilities caps = p.caps();
            OciRecord record = new OciRecord(config.ociVersion(), rq.id(), p.bundle().toString(),
                    p.bundle().resolve(config.root().path()).normalize().toString(), System.currentTimeMillis(),
                    selfPid(), config.annotations() == null ? Map.of() : config.annotations(), cgroupPath,
                    config.hooks(), nsFlags, plan.process().uid(), plan.process().gid(), gids, plan.process().env(),
                    plan.process().cwd(), new long[] {caps.bounding(), caps.effective(), caps.permitted(), caps.inheritable(),
                        caps.ambient()}, plan.process().noNewPrivileges(), seccomp != null,
                    strings(extra));
            rt.store().save(dir, record);
            return new Made(cgroup, extra, plan, record);
        } catch (IOException | PelagosException | RuntimeException e) {
            release(cgroup, extra);
            if (e instanceof IOException io) {
                throw PelagosException.io("create container " + rq.id(), io);
            }
            if (e instanceof PelagosException pe) {
                throw pe;
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

    /**
     * A create with create-time hooks (which the helper runs, at their moments) keeps this process:
     * the helper runs as a child, so that a library caller survives the create. Its failure comes
     * back through an error log of ours, and then only in the exception.
     */
    private static void spawnAndWait(OciRuntime rt, String id, LaunchPlan plan, Path dir) throws PelagosException {
        Path specFile = dir.resolve("spec.bin");
        // outside the state directory, which a failed helper removes
        Path errors;
        try {
            errors = Files.createTempFile("pelagos-create-", ".json");
        } catch (IOException e) {
            throw PelagosException.io("create a temporary file for the helper's errors", e);
        }
        plan = new LaunchPlan(plan.mode(), plan.process(), plan.filesystem(), plan.namespaces(),
                plan.lifecycle().withLog(new RuntimeLog(errors, true, false)));
        // the helper's error reaches the user once, in the exception (which the CLI also logs to --log)
        Process helper = rt.helper().spawn(plan, specFile, true);
        int rc;
        String why;
        try {
            rc = helper.waitFor();
        } catch (InterruptedException e) {
            helper.destroyForcibly();
            Thread.currentThread().interrupt();
            throw PelagosException.conflict("create of container '" + id + "' was interrupted", null);
        } finally {
            why = lastError(errors);
            try {
                Files.deleteIfExists(specFile);
                Files.deleteIfExists(errors);
            } catch (IOException e) {
                // the spec goes with the container's directory; a stray temporary file at worst
            }
        }
        if (rc != 0) {
            throw PelagosException.invalid("container '" + id + "' could not be created: "
                    + (why == null ? "its helper exited with code " + rc : why), "fix the bundle's config.json or its hooks");
        }
    }

    /** The message of the helper's last JSON error line, or null. */
    private static String lastError(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            if (lines.isEmpty()) {
                return null;
            }
            com.google.gson.JsonElement msg = com.google.gson.JsonParser.parseString(lines.getLast()).getAsJsonObject().get("msg");
            return msg == null ? null : msg.getAsString();
        } catch (IOException | RuntimeException e) {
            // no log, or not the JSON we expect: the exception then says only how the helper ended
            return null;
        }
    }

    /**
     * Leaves nothing of a failed create: the container process, its cgroups (when {@link #make}
     * got as far) and its state directory.
     */
    static void undo(OciRuntime rt, String id, Made made) {
        try {
            OciContainer c = rt.store().loadOrNull(id);
            if (c != null && c.pid() > 0) {
                NativeSignal.kill(rt.helper(), c);
            }
        } catch (PelagosException e) {
            // best effort: the original error is what the user needs
        }
        if (made != null) {
            release(made.cgroup(), made.extra());
        }
        try {
            rt.store().remove(id);
        } catch (PelagosException e) {
            // best effort, as above
        }
    }

    /** A container's cgroup destroyed and the v1 directories made beside it removed (best effort). */
    private static void release(Cgroup cgroup, List<Path> extra) {
        try {
            if (cgroup != null) {
                cgroup.destroy();
            }
        } catch (PelagosException e) {
            // best effort: the original error is what the user needs
        }
        extra.forEach(d -> V1ExtraControllers.remove(d.toString()));
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
