package dev.pelagos.runtime.oci;

import static dev.pelagos.runtime.launch.Linux.MS_BIND;
import static dev.pelagos.runtime.launch.Linux.MS_DIRSYNC;
import static dev.pelagos.runtime.launch.Linux.MS_LAZYTIME;
import static dev.pelagos.runtime.launch.Linux.MS_MANDLOCK;
import static dev.pelagos.runtime.launch.Linux.MS_NOATIME;
import static dev.pelagos.runtime.launch.Linux.MS_NODEV;
import static dev.pelagos.runtime.launch.Linux.MS_NODIRATIME;
import static dev.pelagos.runtime.launch.Linux.MS_NOEXEC;
import static dev.pelagos.runtime.launch.Linux.MS_NOSUID;
import static dev.pelagos.runtime.launch.Linux.MS_NOSYMFOLLOW;
import static dev.pelagos.runtime.launch.Linux.MS_PRIVATE;
import static dev.pelagos.runtime.launch.Linux.MS_RDONLY;
import static dev.pelagos.runtime.launch.Linux.MS_REC;
import static dev.pelagos.runtime.launch.Linux.MS_RELATIME;
import static dev.pelagos.runtime.launch.Linux.MS_REMOUNT;
import static dev.pelagos.runtime.launch.Linux.MS_SHARED;
import static dev.pelagos.runtime.launch.Linux.MS_SLAVE;
import static dev.pelagos.runtime.launch.Linux.MS_STRICTATIME;
import static dev.pelagos.runtime.launch.Linux.MS_SYNCHRONOUS;
import static dev.pelagos.runtime.launch.Linux.MS_UNBINDABLE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code options} of an OCI mount, split the way mount(2) wants them: flags, a propagation
 * change applied afterwards, and the rest as the filesystem's data string.
 *
 * @param bind  a bind mount ({@code bind}/{@code rbind}, or type "bind")
 * @param recursiveSet  MOUNT_ATTR_* bits set on the mount and every mount under it ({@code rro}, {@code rnosuid}, ...)
 * @param recursiveClear  MOUNT_ATTR_* bits cleared the same way ({@code rrw}, {@code rsuid}, ...)
 * @param idmap  {@code idmap} or {@code ridmap}: the mount is idmapped (never passed to mount(2))
 * @param idmapRecursive  {@code ridmap}: the mapping also applies to every mount under the source
 */
public record MountOptions(long flags, long propagation, String data, boolean bind, long recursiveSet, long recursiveClear,
        boolean idmap, boolean idmapRecursive) {
    private record Flag(long set, boolean clear) {
    }

    /** mount_setattr(2) attributes (linux/mount.h). */
    public static final long MOUNT_ATTR_RDONLY = 0x1;
    public static final long MOUNT_ATTR_NOSUID = 0x2;
    public static final long MOUNT_ATTR_NODEV = 0x4;
    public static final long MOUNT_ATTR_NOEXEC = 0x8;
    public static final long MOUNT_ATTR_ATIME_MASK = 0x70;
    public static final long MOUNT_ATTR_RELATIME = 0x0;
    public static final long MOUNT_ATTR_NOATIME = 0x10;
    public static final long MOUNT_ATTR_STRICTATIME = 0x20;
    public static final long MOUNT_ATTR_NODIRATIME = 0x80;
    public static final long MOUNT_ATTR_NOSYMFOLLOW = 0x00200000;

    /** The recursive options of the runtime spec: an attribute bit set, or cleared. */
    private static final Map<String, Flag> RECURSIVE = Map.ofEntries(
            Map.entry("rro", new Flag(MOUNT_ATTR_RDONLY, false)), Map.entry("rrw", new Flag(MOUNT_ATTR_RDONLY, true)),
            Map.entry("rnosuid", new Flag(MOUNT_ATTR_NOSUID, false)), Map.entry("rsuid", new Flag(MOUNT_ATTR_NOSUID, true)),
            Map.entry("rnodev", new Flag(MOUNT_ATTR_NODEV, false)), Map.entry("rdev", new Flag(MOUNT_ATTR_NODEV, true)),
            Map.entry("rnoexec", new Flag(MOUNT_ATTR_NOEXEC, false)), Map.entry("rexec", new Flag(MOUNT_ATTR_NOEXEC, true)),
            Map.entry("rnodiratime", new Flag(MOUNT_ATTR_NODIRATIME, false)),
            Map.entry("rdiratime", new Flag(MOUNT_ATTR_NODIRATIME, true)),
            Map.entry("rnosymfollow", new Flag(MOUNT_ATTR_NOSYMFOLLOW, false)),
            Map.entry("rsymfollow", new Flag(MOUNT_ATTR_NOSYMFOLLOW, true)));

    /**
     * The recursive access-time options. The kernel keeps one access-time mode (not bits), so each
     * names the mode it leaves: "no relatime" is strict, "atime"/"no strictatime" the default relatime.
     */
    private static final Map<String, Long> RECURSIVE_ATIME = Map.of("rrelatime", MOUNT_ATTR_RELATIME,
            "rnorelatime", MOUNT_ATTR_STRICTATIME, "rnoatime", MOUNT_ATTR_NOATIME, "ratime", MOUNT_ATTR_RELATIME,
            "rstrictatime", MOUNT_ATTR_STRICTATIME, "rnostrictatime", MOUNT_ATTR_RELATIME);

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("ro", new Flag(MS_RDONLY, false)), Map.entry("rw", new Flag(MS_RDONLY, true)),
            Map.entry("nosuid", new Flag(MS_NOSUID, false)), Map.entry("suid", new Flag(MS_NOSUID, true)),
            Map.entry("nodev", new Flag(MS_NODEV, false)), Map.entry("dev", new Flag(MS_NODEV, true)),
            Map.entry("noexec", new Flag(MS_NOEXEC, false)), Map.entry("exec", new Flag(MS_NOEXEC, true)),
            Map.entry("sync", new Flag(MS_SYNCHRONOUS, false)), Map.entry("async", new Flag(MS_SYNCHRONOUS, true)),
            Map.entry("dirsync", new Flag(MS_DIRSYNC, false)), Map.entry("remount", new Flag(MS_REMOUNT, false)),
            Map.entry("mand", new Flag(MS_MANDLOCK, false)), Map.entry("nomand", new Flag(MS_MANDLOCK, true)),
            Map.entry("atime", new Flag(MS_NOATIME, true)), Map.entry("noatime", new Flag(MS_NOATIME, false)),
            Map.entry("diratime", new Flag(MS_NODIRATIME, true)), Map.entry("nodiratime", new Flag(MS_NODIRATIME, false)),
            Map.entry("relatime", new Flag(MS_RELATIME, false)), Map.entry("norelatime", new Flag(MS_RELATIME, true)),
            Map.entry("strictatime", new Flag(MS_STRICTATIME, false)),
            Map.entry("nostrictatime", new Flag(MS_STRICTATIME, true)),
            Map.entry("lazytime", new Flag(MS_LAZYTIME, false)), Map.entry("nolazytime", new Flag(MS_LAZYTIME, true)),
            Map.entry("symfollow", new Flag(MS_NOSYMFOLLOW, true)), Map.entry("nosymfollow", new Flag(MS_NOSYMFOLLOW, false)));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC, "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC, "unbindable", MS_UNBINDABLE,
            "runbindable", MS_UNBINDABLE | MS_REC);

    /** Options that are about the runtime's handling, not mount(2): accepted and not passed on. */
    private static final List<String> IGNORED = List.of("tmpcopyup", "copyup", "notmpcopyup", "nocopyup", "x-systemd",
            "defaults");

    public static MountOptions parse(String type, List<String> options) {
        long flags = 0;
        long propagation = 0;
        boolean bind = "bind".equals(type) || "rbind".equals(type);
        boolean recursive = "rbind".equals(type);
        long recSet = 0;
        long recClear = 0;
        boolean idmap = false;
        boolean idmapRecursive = false;
        List<String> data = new ArrayList<>();
        for (String o : options == null ? List.<String>of() : options) {
            Flag f = FLAGS.get(o);
            Flag r = RECURSIVE.get(o);
            if (r != null) {
                // the last word about an attribute wins, as with the plain flags
                recSet = r.clear() ? recSet & ~r.set() : recSet | r.set();
                recClear = r.clear() ? recClear | r.set() : recClear & ~r.set();
            } else if (RECURSIVE_ATIME.containsKey(o)) {
                recSet = (recSet & ~MOUNT_ATTR_ATIME_MASK) | RECURSIVE_ATIME.get(o);
                recClear |= MOUNT_ATTR_ATIME_MASK;
            } else if (f != null) {
                flags = f.clear() ? flags & ~f.set() : flags | f.set();
            } else if (PROPAGATION.containsKey(o)) {
                propagation = PROPAGATION.get(o);
            } else if (o.equals("bind")) {
                bind = true;
            } else if (o.equals("idmap") || o.equals("ridmap")) {
                // as runc: the last of the two decides whether the mapping is recursive
                idmap = true;
                idmapRecursive = o.equals("ridmap");
            } else if (o.equals("rbind")) {
                bind = true;
                recursive = true;
            } else if (!IGNORED.contains(o) && !o.startsWith("x-")) {
                data.add(o);
            }
        }
        if (bind) {
            flags |= MS_BIND | (recursive ? MS_REC : 0);
        }
        return new MountOptions(flags, propagation, String.join(",", data), bind, recSet, recClear, idmap, idmapRecursive);
    }

    /** rootfsPropagation values (the spec's names, with or without the recursive r). */
    public static Long propagation(String name) {
        return PROPAGATION.get(name);
    }
}
