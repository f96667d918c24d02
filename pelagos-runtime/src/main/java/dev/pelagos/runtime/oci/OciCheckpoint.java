package dev.pelagos.runtime.oci;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pelagos checkpoint}: CRIU dumps the container's processes into an image directory, from
 * which {@link OciRestore} makes it again (here or on another host). Besides CRIU's images the
 * directory holds a {@link CheckpointManifest} of what restore must re-attach.
 */
public final class OciCheckpoint {
    /**
     * @param parentPath a pre-dump's image directory, relative to the image path (as CRIU wants it)
     * @param leaveRunning keep the container running after the dump (otherwise it is removed)
     * @param preDump dump only memory, for a later dump with {@code parentPath}; the container runs on
     */
    public record Request(String id, CheckpointOptions options, Path parentPath, boolean leaveRunning, boolean preDump) {
    }

    private OciCheckpoint() {
    }

    public static void checkpoint(OciRuntime rt, Request rq) throws PelagosException {
        CheckpointOptions o = rq.options();
        o.check();
        Path parent = checkParent(o.imagePath(), rq.parentPath()); // the arguments first, then the container
        OciContainer c = rt.find(rq.id());
        if (c.status() != OciStatus.RUNNING) {
            throw PelagosException.conflict("container '" + rq.id() + "' is " + c.status().wire() + "; only a running one can be checkpointed",
                    c.status() == OciStatus.PAUSED ? "resume it first" : null);
        }
        OciConfig config = OciConfigReader.read(Path.of(c.record().bundle()));
        refuseWhatCriuCannotTake(rq.id(), config);
        try {
            Files.createDirectories(o.imagePath());
            Files.createDirectories(o.workPath());
            Map<String, String> external = CriuMounts.external(
                    Files.readAllLines(Path.of("/proc/" + c.pid() + "/mountinfo")), Files.readAllLines(Path.of("/proc/self/mountinfo")));
            CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.stdioOf(c.pid()), external);
            manifest.write(o.imagePath());
            List<String> args = new ArrayList<>(List.of(rq.preDump() ? "pre-dump" : "dump", "--tree", Integer.toString(c.pid()),
                    "--images-dir", o.imagePath().toString(), "--work-dir", o.workPath().toString()));
            Path log = o.workPath().resolve(rq.preDump() ? "pre-dump.log" : "dump.log");
            args.addAll(List.of("--log-file", log.toString(), "-v4"));
            args.addAll(o.criuFlags("soft"));
            if (rq.preDump() || parent != null) {
                args.add("--track-mem"); // the next dump writes only the pages changed since
            }
            if (parent != null) {
                args.addAll(List.of("--prev-images-dir", rq.parentPath().toString()));
            }
            if (rq.leaveRunning() && !rq.preDump()) {
                args.add("--leave-running");
            }
            for (String path : external.keySet()) {
                args.addAll(List.of("--external", "mnt[" + path + "]:" + path));
            }
            for (String fd : manifest.stdio()) {
                if (fd.startsWith("file[")) {
                    args.addAll(List.of("--external", fd)); // opened outside the container: restore hands it in
                }
            }
            new Criu(o.criu()).run(args, List.of(), log, "checkpoint container " + rq.id());
        } catch (IOException e) {
            throw PelagosException.io("checkpoint container " + rq.id(), e);
        }
        if (!rq.leaveRunning() && !rq.preDump()) {
            rt.delete(rq.id(), true); // CRIU ended its processes: what is left is state and cgroups
        }
    }

    private static void refuseWhatCriuCannotTake(String id, OciConfig config) throws PelagosException {
        if (Boolean.TRUE.equals(config.process().terminal())) {
            throw new PelagosException(ErrorKind.UNSUPPORTED, "container '" + id + "' has a terminal, which pelagos cannot checkpoint yet",
                    "checkpoint containers whose config.json has process.terminal false");
        }
        if (config.linux() != null && config.linux().namespaces() != null) {
            for (OciConfig.Namespace ns : config.linux().namespaces()) {
                if (ns.path() != null && !ns.path().isEmpty()) {
                    throw new PelagosException(ErrorKind.UNSUPPORTED, "container '" + id + "' joined the " + ns.type()
                            + " namespace " + ns.path() + ", which pelagos cannot checkpoint yet", null);
                }
            }
        }
    }

    /** CRIU takes the parent relative to the image directory, and it must be a (pre-dump) image directory. */
    private static Path checkParent(Path image, Path parent) throws PelagosException {
        if (parent == null) {
            return null;
        }
        if (parent.isAbsolute()) {
            throw PelagosException.invalid("--parent-path " + parent + " must be relative to the image path",
                    "e.g. --parent-path ../parent-dir");
        }
        Path resolved = image.resolve(parent).normalize();
        if (!Files.isDirectory(resolved)) {
            throw PelagosException.invalid("--parent-path " + parent + ": no directory " + resolved,
                    "it names the image directory of an earlier 'checkpoint --pre-dump', relative to --image-path");
        }
        return resolved;
    }
}
