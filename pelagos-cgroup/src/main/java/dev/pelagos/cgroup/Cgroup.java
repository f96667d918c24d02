package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.List;

/**
 * One container's cgroup (a directory per hierarchy on v1, one directory on v2). The process joins
 * it by having its pid written into every {@link #procsFiles()} entry before it execs; after that
 * it should unshare its cgroup namespace so it sees itself at the root.
 */
public sealed interface Cgroup permits V2Cgroup, V1Cgroup {
    /** The path relative to the hierarchy root, e.g. "pelagos/3f2a". */
    String path();

    /** The cgroup.procs files to write the container's pid into, in order. */
    List<Path> procsFiles();

    /**
     * The cgroup.procs files that put a process into {@code sub}-cgroups of this one (exec
     * {@code --cgroup}): per hierarchy the controller-specific path, else the one for all, else the
     * container's cgroup itself. A controller the container has no hierarchy for, or a sub-cgroup
     * that does not exist, is an error.
     */
    List<Path> procsFiles(SubCgroups sub) throws PelagosException;

    /** Files whose {@code oom_kill} line counts OOM kills (see {@link OomCounter}); empty without memory. */
    List<Path> oomCounterFiles();

    /** The directories to rmdir once the container is gone, deepest first. */
    List<Path> directories();

    /** True while at least one of its directories exists. */
    boolean exists();

    /** The pids in the cgroup and its sub-cgroups. */
    List<Long> pids() throws PelagosException;

    Stats stats() throws PelagosException;

    /** Processes the kernel OOM-killed here (read before the cgroup is removed). */
    long oomKillCount() throws PelagosException;

    default boolean oomKilled() throws PelagosException {
        return oomKillCount() > 0;
    }

    /** Changes the limits that {@code resources} sets; others stay as they are. */
    void update(Resources resources) throws PelagosException;

    /** Stops every task (OCI pause); returns once the kernel reports the cgroup frozen. */
    void freeze() throws PelagosException;

    void thaw() throws PelagosException;

    /** True when the kernel reports the cgroup frozen (OCI state "paused"). */
    boolean frozen() throws PelagosException;

    /** SIGKILLs every task and waits until the cgroup is empty. */
    void killAll() throws PelagosException;

    /** Kills what is left, waits, and removes the directories; idempotent, fine if already gone. */
    void destroy() throws PelagosException;
}
