package dev.pelagos.runtime.launch;

/**
 * The id mapping of an idmapped bind mount (mount_setattr MOUNT_ATTR_IDMAP). The helper clones the
 * source on the host and maps it through a user namespace with exactly these maps, or through the
 * user namespace at {@code usernsPath}.
 *
 * @param uidMap "inside outside count" lines, as written to /proc/PID/uid_map (null with usernsPath)
 * @param gidMap the same for groups
 * @param usernsPath a user namespace file to map through instead (the container joins it), or null
 * @param recursive also map every mount under the source (the spec's {@code ridmap})
 */
public record MountIdMap(String uidMap, String gidMap, String usernsPath, boolean recursive) {
    public MountIdMap {
        if (usernsPath == null && (uidMap == null || uidMap.isEmpty() || gidMap == null || gidMap.isEmpty())) {
            throw new IllegalArgumentException("an idmapped mount needs both maps or a user namespace path");
        }
        if (usernsPath != null && (uidMap != null || gidMap != null)) {
            throw new IllegalArgumentException("an idmapped mount takes either maps or a user namespace path, not both");
        }
    }
}
