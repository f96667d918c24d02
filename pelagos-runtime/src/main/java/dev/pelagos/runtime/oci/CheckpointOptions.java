package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What checkpoint and restore share: where the images go, CRIU's binary and the CRIU options
 * both pass on (runc's flags of the same names).
 *
 * @param imagePath CRIU's image directory
 * @param workPath CRIU's work directory and logs (the image directory when null)
 * @param manageCgroupsMode soft, full, strict or ignore; null for the default
 * @param criu the CRIU binary (global {@code --criu}); null for {@code criu} on the PATH
 */
public record CheckpointOptions(Path imagePath, Path workPath, boolean tcpEstablished, boolean extUnixSk, boolean shellJob,
        boolean fileLocks, String manageCgroupsMode, String criu) {
    private static final Set<String> MODES = Set.of("soft", "full", "strict", "ignore");

    public CheckpointOptions {
        imagePath = imagePath.toAbsolutePath().normalize();
        workPath = workPath == null ? imagePath : workPath.toAbsolutePath().normalize();
    }

    void check() throws PelagosException {
        if (manageCgroupsMode != null && !MODES.contains(manageCgroupsMode)) {
            throw PelagosException.invalid("invalid --manage-cgroups-mode '" + manageCgroupsMode + "'",
                    "use soft, full, strict or ignore");
        }
    }

    /** The flags both directions pass on to CRIU. */
    List<String> criuFlags(String defaultCgroupMode) {
        List<String> out = new ArrayList<>();
        out.add("--manage-cgroups=" + (manageCgroupsMode == null ? defaultCgroupMode : manageCgroupsMode));
        if (tcpEstablished) {
            out.add("--tcp-established");
        }
        if (extUnixSk) {
            out.add("--ext-unix-sk");
        }
        if (shellJob) {
            out.add("--shell-job");
        }
        if (fileLocks) {
            out.add("--file-locks");
        }
        return out;
    }
}
