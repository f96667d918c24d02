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

    /**
     * The record as JSON-ready maps and lists, in field order. Written without reflection (see
     * {@link dev.pelagos.base.JsonWriter}); read back with Gson, which maps the same names.
     */
    public java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("created", created);
        m.put("image", image);
        m.put("rootfs", rootfs);
        m.put("command", command);
        m.put("env", env);
        m.put("workdir", workdir);
        m.put("uid", uid);
        m.put("gid", gid);
        m.put("groups", groups);
        m.put("hostname", hostname);
        m.put("autoRemove", autoRemove);
        m.put("tty", tty);
        m.put("interactive", interactive);
        m.put("noNewPrivileges", noNewPrivileges);
        m.put("capabilities", capabilities);
        m.put("cloneFlags", cloneFlags);
        m.put("stopSignal", stopSignal);
        java.util.List<Object> ms = new java.util.ArrayList<>();
        for (MountInfo mi : mounts) {
            java.util.Map<String, Object> x = new java.util.LinkedHashMap<>();
            x.put("type", mi.type());
            x.put("source", mi.source());
            x.put("destination", mi.destination());
            x.put("readOnly", mi.readOnly());
            ms.add(x);
        }
        m.put("mounts", ms);
        m.put("cgroupProcs", cgroupProcs);
        m.put("cgroupDirs", cgroupDirs);
        m.put("cgroupPath", cgroupPath);
        m.put("resourceFlags", resourceFlags);
        m.put("labels", labels);
        return m;
    }
}
