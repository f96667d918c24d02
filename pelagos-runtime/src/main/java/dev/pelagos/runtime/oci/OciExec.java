package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.Cgroup;
import dev.pelagos.cgroup.SubCgroups;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.RuntimeLog;
import dev.pelagos.runtime.launch.SpecTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pelagos exec} on an OCI container: a process described by an OCI process object (from
 * {@code --process} or built from flags) started in every namespace and the cgroup of the
 * container, with the container's seccomp filter.
 */
public final class OciExec {
    /** runc's exit code when exec fails before the process runs (callers tell it from the process's own codes). */
    public static final int OCI_EXEC_FAILED = 255;

    private OciExec() {
    }

    /** What the caller adds: detach, pid file, console socket. */
    public record Options(boolean detach, Path pidFile, Path consoleSocket, RuntimeLog log,
            int preserveFds, boolean ignorePaused, SubCgroups cgroups) {
        public Options(boolean detach, Path pidFile, Path consoleSocket, RuntimeLog log, int preserveFds, boolean ignorePaused) {
            this(detach, pidFile, consoleSocket, log, preserveFds, ignorePaused, SubCgroups.NONE);
        }
    }

    /** The container's own process settings, the base for an exec built from flags. */
    public static OciConfig.Process defaults(OciContainer c) {
        OciRecord r = c.record();
        return new OciConfig.Process(false, null, new OciConfig.User(r.uid(), r.gid(), null, r.additionalGids(), null), null,
                null, r.env(), r.cwd(), null, null, r.noNewPrivileges(), null, null, null, null);
    }

    /** The container's capabilities plus {@code added} (exec --cap): root gets them in every set but inheritable. */
    public static OciConfig.Capabilities withAdded(OciContainer c, List<String> added, boolean root) throws PelagosException {
        long[] k = c.record().capabilities();
        long extra = 0;
        for (String n : added) {
            extra |= dev.pelagos.runtime.spec.Capability.parse(n).bit();
        }
        long b = k[0] | extra;
        long e = k[1] | extra;
        long p = k[2] | extra;
        long i = k[3] | (root ? 0 : extra);
        long a = k[4] | (root ? 0 : extra);
        return new OciConfig.Capabilities(names(b), names(e), names(i), names(p), names(a));
    }

    private static List<String> names(long mask) {
        return dev.pelagos.runtime.spec.Capability.names(mask);
    }

    public static LaunchPlan plan(OciRuntime rt, String id, OciConfig.Process p, boolean capsGiven, Options o)
            throws PelagosException {
        OciContainer c = rt.find(id);
        OciStatus s = c.status();
        if (s == OciStatus.PAUSED && !o.ignorePaused()) {
            throw PelagosException.conflict("cannot exec in a paused container ('" + id + "')",
                    "resume it first, or use --ignore-paused");
        }
        if (s != OciStatus.RUNNING && s != OciStatus.CREATED && s != OciStatus.PAUSED) {
            throw PelagosException.conflict("cannot exec in container '" + id + "': it is " + s.wire(), null);
        }
        ConfigValidator.validateProcess(p, "process");
        byte[] seccomp = c.record().hasSeccomp() ? readFilter(c.dir()) : null;
        LaunchPlan.ProcessPlan base = BundlePlanner.process(p, seccomp);
        long[] k = c.record().capabilities();
        LaunchPlan.Capabilities caps = capsGiven ? base.caps() : new LaunchPlan.Capabilities(k[0], k[1], k[2], k[3], k[4]);
        LaunchPlan.ProcessPlan process = new LaunchPlan.ProcessPlan(base.args(), base.env(), base.cwd(), base.uid(), base.gid(),
                base.groups(), caps, base.noNewPrivileges(), seccomp, base.rlimits(), base.oomScoreAdj(), base.tty(),
                true, base.umask(), null); // interactive: like runc, exec hands the process the caller's stdin
        List<String> procs = new ArrayList<>();
        Cgroup cg = OciRuntime.cgroup(c);
        if (cg != null) {
            cg.procsFiles(o.cgroups()).forEach(f -> procs.add(f.toString()));
        } else if (!o.cgroups().isEmpty()) {
            throw PelagosException.conflict("container '" + id + "' has no cgroup to choose a sub-cgroup of", "leave out --cgroup");
        }
        if (c.record().extraCgroups() != null) {
            c.record().extraCgroups().forEach(d -> procs.add(Path.of(d, "cgroup.procs").toString()));
        }
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(Path.of("/"), null, List.of(), List.of(), List.of(),
                List.of(), List.of(), false, List.of());
        LaunchPlan.NamespacePlan ns = new LaunchPlan.NamespacePlan(c.record().cloneFlags(), null, false, c.pid());
        LaunchPlan.LifecyclePlan life = new LaunchPlan.LifecyclePlan(null, procs, List.of(), List.of(), List.of(), false, null,
                o.pidFile(), null, 0, null, process.tty() ? o.consoleSocket() : null, o.preserveFds(), null, o.log(), OCI_EXEC_FAILED)
                .withConsoleSize(BundlePlanner.consoleSize(p));
        SpecTag.Mode mode = o.detach() ? SpecTag.Mode.EXEC_CREATE : SpecTag.Mode.EXEC;
        return new LaunchPlan(mode, process, fs, ns, life);
    }

    private static byte[] readFilter(Path dir) throws PelagosException {
        try {
            return Files.readAllBytes(dir.resolve(OciContainer.SECCOMP));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw PelagosException.io("read the seccomp filter of the container", e);
        }
    }

    /** Reads an OCI process object (runc's {@code exec --process FILE}). */
    public static OciConfig.Process readProcess(Path file) throws PelagosException {
        try {
            String json = Files.readString(file);
            OciConfig wrapper = OciConfigReader.parse("{\"process\":" + json + "}", file.toString());
            if (wrapper.process() == null) {
                throw PelagosException.invalid(file + " holds no process object", null);
            }
            return wrapper.process();
        } catch (IOException e) {
            throw PelagosException.io("read the process file " + file, e);
        }
    }
}
