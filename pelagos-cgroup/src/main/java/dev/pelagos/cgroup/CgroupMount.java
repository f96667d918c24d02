package dev.pelagos.cgroup;

import java.util.List;
import java.util.Objects;

/**
 * One step of building {@code /sys/fs/cgroup} inside a container, in order. The runtime turns these
 * into its own mount list; they must be done in the container's mount namespace, after the process
 * joined its cgroups and unshared its cgroup namespace (so each mount shows the container's cgroup as
 * the root).
 *
 * @param kind mount, symlink, or read-only remount of an earlier mount
 * @param source the mount source (fs name), or for SYMLINK the link's target
 * @param target absolute path inside the container
 * @param fstype "cgroup2", "cgroup" or "tmpfs"; empty for SYMLINK and REMOUNT
 * @param flags mount flags by name: ro, nosuid, nodev, noexec, relatime
 * @param data the filesystem options string, e.g. "memory" or "mode=755"
 */
public record CgroupMount(Kind kind, String source, String target, String fstype, List<String> flags, String data) {
    public enum Kind {
        MOUNT,
        SYMLINK,
        /** Remount {@code target} (mounted earlier in the list) with {@code flags}, e.g. read-only. */
        REMOUNT
    }

    public CgroupMount {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(source);
        Objects.requireNonNull(target);
        Objects.requireNonNull(fstype);
        Objects.requireNonNull(data);
        flags = List.copyOf(flags);
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("mount target must be absolute: " + target);
        }
    }

    static final List<String> READ_ONLY = List.of("ro", "nosuid", "nodev", "noexec", "relatime");
}
