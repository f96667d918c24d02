package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;

/** A mount the user asked for: a host directory or file, a tmpfs, or a named volume. */
public sealed interface MountRequest {

    /** The absolute path inside the container. */
    String target();

    /** A host path bound into the container. {@code createSource}: Docker's -v makes a missing host dir. */
    record Bind(Path source, String target, boolean readOnly, boolean createSource) implements MountRequest {
        public Bind {
            requireAbsoluteTarget(target);
        }
    }

    /** A fresh tmpfs; {@code options} are mount(8)-style ("size=64m,mode=1777,noexec"). */
    record Tmpfs(String target, String options) implements MountRequest {
        public Tmpfs {
            requireAbsoluteTarget(target);
        }
    }

    /** A named volume, created on first use. */
    record Volume(String name, String target, boolean readOnly) implements MountRequest {
        public Volume {
            requireAbsoluteTarget(target);
        }
    }

    private static void requireAbsoluteTarget(String target) {
        if (target == null || !target.startsWith("/")) {
            throw new IllegalArgumentException("mount target must be absolute: " + target);
        }
    }

    /** {@code -v NAME:/path[:ro|rw]} or {@code -v /host:/path[:ro|rw]}. */
    static MountRequest parseVolume(String spec) throws PelagosException {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw PelagosException.invalid("invalid --volume '" + spec + "': expected NAME:/path or /host:/path[:ro|rw]");
        }
        boolean ro = false;
        if (parts.length == 3) {
            for (String opt : parts[2].split(",")) {
                switch (opt) {
                    case "ro" -> ro = true;
                    case "rw", "z", "Z", "rprivate", "private", "rslave", "slave" -> { }
                    default -> throw PelagosException.invalid("invalid --volume '" + spec + "': unknown option '" + opt + "'",
                            "use ro or rw");
                }
            }
        }
        String target = checkTarget("--volume", spec, parts[1]);
        if (parts[0].startsWith("/")) {
            return new Bind(Path.of(parts[0]), target, ro, true);
        }
        if (parts[0].startsWith(".")) {
            return new Bind(Path.of(parts[0]).toAbsolutePath().normalize(), target, ro, true);
        }
        VolumeName.check(parts[0]);
        return new Volume(parts[0], target, ro);
    }

    /** {@code --bind /host:/container} and {@code --bind-ro}. */
    static MountRequest parseBind(String flag, String spec, boolean readOnly) throws PelagosException {
        String[] parts = spec.split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw PelagosException.invalid("invalid " + flag + " '" + spec + "': expected /host:/container");
        }
        return new Bind(Path.of(parts[0]).toAbsolutePath().normalize(), checkTarget(flag, spec, parts[1]), readOnly, false);
    }

    /** {@code --tmpfs /path[:opts]}. */
    static MountRequest parseTmpfs(String spec) throws PelagosException {
        int colon = spec.indexOf(':');
        String target = colon < 0 ? spec : spec.substring(0, colon);
        String opts = colon < 0 ? "" : spec.substring(colon + 1);
        return new Tmpfs(checkTarget("--tmpfs", spec, target), opts);
    }

    private static String checkTarget(String flag, String spec, String target) throws PelagosException {
        if (!target.startsWith("/")) {
            throw PelagosException.invalid("invalid " + flag + " '" + spec + "': the container path '" + target + "' must be absolute");
        }
        if (target.equals("/")) {
            throw PelagosException.invalid("invalid " + flag + " '" + spec + "': cannot mount over the container's root");
        }
        return target;
    }
}
