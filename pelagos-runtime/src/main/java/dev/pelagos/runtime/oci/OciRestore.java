package dev.pelagos.runtime.oci;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
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
        OciCreate.Made made = null;
        try {
            made = OciCreate.make(rt, rq, p, dir);
            int pid = runCriu(rt, rq, o, manifest, p, made, dir);
            OciContainer.writePid(dir, pid, ProcessLiveness.startTime(pid));
            if (rq.options().pidFile() != null) {
                AtomicFiles.write(rq.options().pidFile().toAbsolutePath(), Integer.toString(pid));
            }
        } catch (PelagosException | IOException | RuntimeException e) {
            OciCreate.undo(rt, rq.id(), made);
            if (e instanceof IOException io) {
                throw PelagosException.io("restore container " + rq.id(), io);
            }
            if (e instanceof PelagosException pe) {
                throw pe;
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * CRIU restores under a bind of the rootfs (it pivots into its root, which must be a mount
     * point), gone before this returns: the state directory it is in may be removed next, and
     * must not be walked into the rootfs. Returns the restored process's pid.
     */
    private static int runCriu(OciRuntime rt, OciCreate.Request rq, CheckpointOptions o, CheckpointManifest manifest,
            OciCreate.Prepared p, OciCreate.Made made, Path dir) throws PelagosException, IOException {
        Path root = dir.resolve("criu-root");
        Files.createDirectory(root);
        try {
            BindMounts.bind(rt.helper().jniLibrary(), Path.of(made.record().rootfs()), root);
            try {
                Path pidFile = dir.resolve("criu.pid");
                Path log = o.workPath().resolve("restore.log");
                Files.createDirectories(o.workPath());
                List<String> args = new ArrayList<>(List.of("restore", "--restore-detached", "--images-dir", o.imagePath().toString(),
                        "--work-dir", o.workPath().toString(), "--log-file", log.toString(), "-v4", "--root", root.toString(),
                        "--pidfile", pidFile.toString()));
                // the processes are born in the cgroups made (CRIU runs in them), so CRIU leaves cgroups alone by default
                args.addAll(o.criuFlags("ignore"));
                sources(manifest.mounts(), p).forEach((path, source) -> args.addAll(List.of("--external", "mnt[" + path + "]:" + source)));
                // the checkpointed container's stdio came from outside: ours takes its place
                for (int fd = 0; fd < manifest.stdio().size(); fd++) {
                    if (!manifest.stdio().get(fd).isEmpty()) {
                        args.addAll(List.of("--inherit-fd", "fd[" + fd + "]:" + manifest.stdio().get(fd)));
                    }
                }
                new Criu(o.criu()).run(args, strings(made.cgroup().procsFiles()), log, "restore container " + rq.id());
                return Integer.parseInt(Files.readString(pidFile).strip());
            } finally {
                BindMounts.detach(rt.helper().jniLibrary(), root);
            }
        } finally {
            Files.deleteIfExists(root);
        }
    }

    /** Each external mount's host source: the bundle's bind for that path if it has one, else where it was. */
    private static Map<String, String> sources(Map<String, String> external, OciCreate.Prepared p) {
        Map<String, String> out = new LinkedHashMap<>(external);
        List<OciConfig.Mount> mounts = p.config().mounts() == null ? List.of() : p.config().mounts();
        for (OciConfig.Mount m : mounts) {
            String dest = BundlePlanner.destination(m);
            if (out.containsKey(dest) && MountOptions.parse(m.type(), m.options()).bind()) {
                out.put(dest, BundlePlanner.bindSource(m, p.bundle()));
            }
        }
        return out;
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }
}
