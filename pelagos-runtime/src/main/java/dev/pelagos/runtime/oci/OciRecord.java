package dev.pelagos.runtime.oci;

import java.util.List;
import java.util.Map;

/**
 * What {@code pelagos create} records about a container in {@code <root>/<id>/state.json}: enough
 * for every later verb (state, start, kill, exec, delete) to work without the bundle. The
 * process's pid and start time are written separately by the helper ({@code pid}).
 *
 * @param creatorPid the {@code create} process (the JVM, then the helper: the same pid); while no
 *     {@code pid} file exists, a dead creator means a create that failed half-way
 * @param cgroupPath relative to the hierarchy root, or null
 * @param cloneFlags the namespaces the container created (exec joins them)
 * @param capabilities bounding, effective, permitted, inheritable, ambient masks
 * @param extraCgroups v1 cgroup directories we made beside the cgroup module's (devices, net_cls, net_prio)
 */
public record OciRecord(String ociVersion, String id, String bundle, String rootfs, long createdMs, long creatorPid,
        Map<String, String> annotations, String cgroupPath, OciConfig.Hooks hooks, int cloneFlags, long uid, long gid,
        List<Long> additionalGids, List<String> env, String cwd, long[] capabilities, boolean noNewPrivileges,
        boolean hasSeccomp, List<String> extraCgroups) {
}
