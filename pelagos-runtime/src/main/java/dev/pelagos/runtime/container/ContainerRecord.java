package dev.pelagos.runtime.container;

import java.util.List;
import java.util.Map;

/**
 * The part of a container's state that never changes after creation, stored as
 * {@code <runtime>/containers/<id>/config.json}. What changes (pid, exit status) is written by the
 * helper into sibling files; see {@link ContainerState}.
 *
 * @param cloneFlags   the namespaces the container has (exec joins the same ones)
 * @param capabilities the capability mask of the container's processes (exec gets the same)
 */
public record ContainerRecord(
        String id,
        String name,
        String created,
        String image,
        String rootfs,
        List<String> command,
        List<String> env,
        String workdir,
        Integer uid,
        Integer gid,
        List<Integer> groups,
        String hostname,
        boolean autoRemove,
        boolean tty,
        boolean interactive,
        boolean noNewPrivileges,
        long capabilities,
        int cloneFlags,
        String stopSignal,
        List<MountInfo> mounts,
        List<String> cgroupProcs,
        List<String> cgroupDirs,
        String cgroupPath,
        Map<String, String> resourceFlags,
        Map<String, String> labels) {

    /** A mount as inspect shows it. */
    public record MountInfo(String type, String source, String destination, boolean readOnly) {
    }
}
