package dev.pelagos.runtime.launch;

/**
 * One mount(2) the helper performs, in order. {@code target} is a path inside the container;
 * the helper resolves it inside the root and never outside it.
 *
 * @param options {@link SpecTag} MNT_* bits (create the target, refuse symlinks, ...)
 * @param recursiveSet MOUNT_ATTR_* bits the helper sets on the mount and all mounts under it (mount_setattr)
 * @param recursiveClear MOUNT_ATTR_* bits it clears the same way
 * @param idMap for an idmapped bind: the mapping applied to the cloned source, else null
 */
public record MountEntry(String source, String target, String fstype, long flags, long propagation, int options, String data,
        long recursiveSet, long recursiveClear, MountIdMap idMap) {
    public MountEntry {
        source = source == null ? "" : source;
        fstype = fstype == null ? "" : fstype;
        data = data == null ? "" : data;
    }

    public MountEntry(String source, String target, String fstype, long flags, long propagation, int options, String data,
            long recursiveSet, long recursiveClear) {
        this(source, target, fstype, flags, propagation, options, data, recursiveSet, recursiveClear, null);
    }

    public MountEntry(String source, String target, String fstype, long flags, long propagation, int options, String data) {
        this(source, target, fstype, flags, propagation, options, data, 0, 0);
    }

    /** The same mount, idmapped (only binds can be: the helper maps a clone of the source). */
    public MountEntry withIdMap(MountIdMap map) {
        if ((flags & Linux.MS_BIND) == 0) {
            throw new IllegalArgumentException("only a bind mount can be idmapped: " + target);
        }
        return new MountEntry(source, target, fstype, flags, propagation, options, data, recursiveSet, recursiveClear, map);
    }

    public static MountEntry kernel(String fstype, String target, long flags, String data) {
        return new MountEntry(fstype, target, fstype, flags, 0, SpecTag.MNT_MKDIR | SpecTag.MNT_NOFOLLOW, data);
    }

    public static MountEntry bind(String hostSource, String target, boolean readOnly, boolean file) {
        long flags = Linux.MS_BIND | Linux.MS_REC | (readOnly ? Linux.MS_RDONLY : 0);
        return new MountEntry(hostSource, target, "", flags, 0, file ? SpecTag.MNT_MKFILE : SpecTag.MNT_MKDIR, "");
    }
}
