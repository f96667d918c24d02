package dev.pelagos.runtime.oci;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.Cgroup;
import dev.pelagos.runtime.container.ProcessLiveness;
import dev.pelagos.sys.BindMounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pelagos restore --detach}: makes a container of the bundle again from a checkpoint's
 * images. The cgroups, limits and state are made as for {@code create}; CRIU then rebuilds the
 * processes and their namespaces under the bundle's rootfs, born in the container's cgroups, with
 * this process's stdio where the checkpointed container had pipes. The restored container runs
 * (there is no 'start'); a failure leaves nothing of it.
 */
public final class OciRestore {
    private OciRestore() {
    }

    public static void restore(OciRuntime rt, OciCreate.Request rq, CheckpointOptions o) throws PelagosException {
        o.check();
        Path image = o.imagePath();
        CheckpointManifest manifest = CheckpointManifest.read(image);
        OciCreate.Prepared p = OciCreate.prepare(rq);
        if (Boolean.TRUE.equals(p.config().process().terminal())) {
            throw new PelagosException(ErrorKind.UNSUPPORTED, "the bundle's process has a terminal, which pelagos cannot restore yet",
                    "restore with a config.json whose process.terminal is false, as it was checkpointed");
        }
        rt.sweepIfStale(rq.id());
        Path dir = rt.store().claim(rq.id());
        List<Path> extra = new ArrayList<>();
        Cgroup[] cgroup = new Cgroup[1];
        Path root = dir.resolve("criu-root");
        boolean bound = false;
        try {
            OciCreate.Made made = OciCreate.make(rt, rq, p, dir, extra, cgroup);
            // CRIU pivots into the root it is given, which must therefore be a mount point
            Files.createDirectory(root);
            BindMounts.bind(rt.helper().jniLibrary(), Path.of(made.record().rootfs()), root);
            bound = true;
            Path pidFile = dir.resolve("criu.pid");
            Path log = o.workPath().resolve("restore.log");
            Files.createDirectories(o.workPath());
            List<String> args = new ArrayList<>(List.of("restore", "--restore-detached", "--images-dir", image.toString(),
                    "--work-dir", o.workPath().toString(), "--log-file", log.toString(), "-v4", "--root", root.toString(),
                    "--pidfile", pidFile.toString()));
            // the processes are born in the cgroups made above (CRIU runs in them), so CRIU leaves cgroups alone by default
            args.addAll(o.criuFlags("ignore"));
            sources(manifest.mounts(), p).forEach((path, source) -> args.addAll(List.of("--external", "mnt[" + path + "]:" + source)));
            // the checkpointed container's stdio came from outside: ours takes its place
            for (int fd = 0; fd < manifest.stdio().size(); fd++) {
                if (!manifest.stdio().get(fd).isEmpty()) {
                    args.addAll(List.of("--inherit-fd", "fd[" + fd + "]:" + manifest.stdio().get(fd)));
                }
            }
            new Criu(o.criu()).run(args, strings(cgroup[0].procsFiles()), log, "restore container " + rq.id());
            int pid = Integer.parseInt(Files.readString(pidFile).strip());
            long start = ProcessLiveness.startTime(pid);
            // the helper's format: pid, its start time, when, and the monitor's pid (none)
            AtomicFiles.write(dir.resolve(OciContainer.PID_FILE), pid + " " + start + " " + System.currentTimeMillis() + " 0\n");
            if (rq.options().pidFile() != null) {
                AtomicFiles.write(rq.options().pidFile().toAbsolutePath(), Integer.toString(pid));
            }
        } catch (PelagosException | IOException | RuntimeException e) {
            detach(rt, root, bound);
            bound = false;
            OciCreate.undo(rt, rq.id(), cgroup[0], extra);
            if (e instanceof IOException io) {
                throw PelagosException.io("restore container " + rq.id(), io);
            }
            if (e instanceof PelagosException pe) {
                throw pe;
            }
            throw (RuntimeException) e;
        } finally {
            detach(rt, root, bound);
        }
    }

    /** Each external mount's host source: the bundle's bind for that path if it has one, else where it was. */
    private static Map<String, String> sources(Map<String, String> external, OciCreate.Prepared p) {
        Map<String, String> out = new LinkedHashMap<>(external);
        List<OciConfig.Mount> mounts = p.config().mounts() == null ? List.of() : p.config().mounts();
        for (OciConfig.Mount m : mounts) {
            String dest = m.destination().startsWith("/") ? m.destination() : "/" + m.destination();
            if (out.containsKey(dest) && m.source() != null && MountOptions.parse(m.type(), m.options()).bind()) {
                String src = m.source().startsWith("/") ? m.source() : p.bundle().resolve(m.source()).normalize().toString();
                out.put(dest, src);
            }
        }
        return out;
    }

    private static void detach(OciRuntime rt, Path root, boolean bound) {
        try {
            if (bound) {
                BindMounts.detach(rt.helper().jniLibrary(), root);
            }
            Files.deleteIfExists(root);
        } catch (IOException e) {
            // the state directory goes with the container; a stale empty directory at worst
        }
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }
}
