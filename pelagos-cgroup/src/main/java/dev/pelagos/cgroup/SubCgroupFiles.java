package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The cgroup.procs file of a sub-cgroup, checked before any process is started for it. */
final class SubCgroupFiles {
    private SubCgroupFiles() {
    }

    /** {@code dir/sub/cgroup.procs} ({@code dir/cgroup.procs} for a null or empty sub), which must exist. */
    static Path procs(Path dir, String sub) throws PelagosException {
        Path target = sub == null || sub.isEmpty() ? dir : dir.resolve(sub);
        Path procs = target.resolve("cgroup.procs");
        if (!Files.isRegularFile(procs)) {
            // said the way the write would fail, naming the file: the process is never started
            throw new PelagosException(ErrorKind.NOT_FOUND, "cannot put the process into "
                    + (target == dir ? "the container's cgroup" : "sub-cgroup " + sub) + ": adding pid to " + procs + ": no such file or directory", "create the sub-cgroup first, or leave out --cgroup");
        }
        return procs;
    }
}
