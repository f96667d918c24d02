package dev.pelagos.runtime.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the helper needs to start one container, fully resolved: no policy is left for the
 * C side to decide. Built by {@link Planner}, encoded by {@link SpecEncoder}.
 */
public record LaunchPlan(SpecTag.Mode mode, ProcessPlan process, FilesystemPlan filesystem, NamespacePlan namespaces,
        LifecyclePlan lifecycle) {

    /** The process: what runs, as whom, with which privileges. */
    public record ProcessPlan(List<String> args, List<String> env, String cwd, Integer uid, Integer gid, List<Integer> groups,
            Capabilities caps, boolean noNewPrivileges, byte[] seccomp, List<Rlimit> rlimits, Integer oomScoreAdj,
            boolean tty, boolean interactive, Integer umask, Integer personality) {
        public ProcessPlan {
            args = List.copyOf(args);
            env = List.copyOf(env);
            groups = List.copyOf(groups);
            rlimits = List.copyOf(rlimits);
        }

        public ProcessPlan(List<String> args, List<String> env, String cwd, Integer uid, Integer gid, List<Integer> groups,
                Capabilities caps, boolean noNewPrivileges, byte[] seccomp, List<Rlimit> rlimits, Integer oomScoreAdj,
                boolean tty, boolean interactive) {
            this(args, env, cwd, uid, gid, groups, caps, noNewPrivileges, seccomp, rlimits, oomScoreAdj, tty, interactive,
                    null, null);
        }
    }

    /** Capability sets as masks (bit n = capability n). */
    public record Capabilities(long bounding, long effective, long permitted, long inheritable, long ambient) {
        /** The usual shape for root: bounding = effective = permitted, nothing inheritable or ambient. */
        public static Capabilities of(long mask) {
            return new Capabilities(mask, mask, mask, 0, 0);
        }
    }

    public record Rlimit(int resource, long soft, long hard) {
    }

    /**
     * The root and everything mounted on it.
     *
     * @param rootPropagation mount propagation for "/" inside the container (0: the default, rslave)
     * @param noPivot         chroot instead of pivot_root (OCI --no-pivot, for ramfs roots)
     */
    public record FilesystemPlan(Path rootfs, MountEntry rootMount, List<MountEntry> mounts, List<DeviceNode> devices,
            List<String[]> symlinks, List<String> masked, List<String> readonly, boolean readonlyRoot,
            List<String> sysctls, long rootPropagation, boolean noPivot) {
        public FilesystemPlan {
            mounts = List.copyOf(mounts);
            devices = List.copyOf(devices);
            symlinks = List.copyOf(symlinks);
            masked = List.copyOf(masked);
            readonly = List.copyOf(readonly);
            sysctls = List.copyOf(sysctls);
        }

        public FilesystemPlan(Path rootfs, MountEntry rootMount, List<MountEntry> mounts, List<DeviceNode> devices,
                List<String[]> symlinks, List<String> masked, List<String> readonly, boolean readonlyRoot,
                List<String> sysctls) {
            this(rootfs, rootMount, mounts, devices, symlinks, masked, readonly, readonlyRoot, sysctls, 0, false);
        }
    }

    /**
     * A namespace joined by path instead of created (OCI {@code linux.namespaces[].path}).
     *
     * @param release the file was bound for this container alone (a network namespace configured
     *                before the start): the helper unmounts and removes it once joined
     */
    public record NamespacePath(int type, String path, boolean release) {
        public NamespacePath(int type, String path) {
            this(type, path, false);
        }
    }

    /**
     * @param cloneFlags namespaces to create, or (exec) to join
     * @param targetPid  (exec) the container process whose namespaces are joined, else 0
     */
    public record NamespacePlan(int cloneFlags, String hostname, boolean loopbackUp, int targetPid,
            List<NamespacePath> joins, String uidMap, String gidMap) {
        public NamespacePlan {
            joins = List.copyOf(joins);
        }

        public NamespacePlan(int cloneFlags, String hostname, boolean loopbackUp, int targetPid) {
            this(cloneFlags, hostname, loopbackUp, targetPid, List.of(), null, null);
        }
    }

    /** A terminal size (OCI process.consoleSize). */
    public record ConsoleSize(int rows, int columns) {
        public ConsoleSize {
            if (rows < 0 || rows > 0xffff || columns < 0 || columns > 0xffff) {
                throw new IllegalArgumentException("console size out of range: " + rows + "x" + columns);
            }
        }
    }

    /**
     * What happens around the process: where state goes, what is cleaned up after it.
     *
     * @param preserveFds fds 3..3+N-1 are passed on to the container (OCI --preserve-fds)
     * @param failureCode the exit code of a failed start or exec (runc's 1 and 255); 0 keeps Docker's 125/126/127 */
    public record LifecyclePlan(Path stateDir, List<String> cgroupProcs, List<String> cgroupOom, List<String> cgroupRmdir,
            List<String> cleanup, boolean init, String printOnStart, Path pidFile, Path logFile, long logMaxSize,
            Path execFifo, Path consoleSocket, int preserveFds, dev.pelagos.runtime.spec.HealthCheck health,
            RuntimeLog log, List<String> cleanupOnFailure, int failureCode, ConsoleSize consoleSize,
            List<LaunchHook> hooks, String hookState) {
        public LifecyclePlan {
            log = log == null ? RuntimeLog.NONE : log;
            cleanupOnFailure = List.copyOf(cleanupOnFailure);
            hooks = List.copyOf(hooks);
            cgroupProcs = List.copyOf(cgroupProcs);
            cgroupOom = List.copyOf(cgroupOom);
            cgroupRmdir = List.copyOf(cgroupRmdir);
            cleanup = List.copyOf(cleanup);
        }

        /** An OCI caller's plan: the helper reports to {@code log} and fails with {@code failureCode}. */
        public LifecyclePlan(Path stateDir, List<String> cgroupProcs, List<String> cgroupOom, List<String> cgroupRmdir,
                List<String> cleanup, boolean init, String printOnStart, Path pidFile, Path logFile, long logMaxSize,
                Path execFifo, Path consoleSocket, int preserveFds, dev.pelagos.runtime.spec.HealthCheck health,
                RuntimeLog log, int failureCode) {
            this(stateDir, cgroupProcs, cgroupOom, cgroupRmdir, cleanup, init, printOnStart, pidFile, logFile, logMaxSize,
                    execFifo, consoleSocket, preserveFds, health, log, List.of(), failureCode, null, List.of(), null);
        }

        /** A plan for 'pelagos run IMAGE' and friends: Docker's exit codes, no runtime log. */
        public LifecyclePlan(Path stateDir, List<String> cgroupProcs, List<String> cgroupOom, List<String> cgroupRmdir,
                List<String> cleanup, boolean init, String printOnStart, Path pidFile, Path logFile, long logMaxSize,
                Path execFifo, Path consoleSocket, int preserveFds, dev.pelagos.runtime.spec.HealthCheck health,
                List<String> cleanupOnFailure) {
            this(stateDir, cgroupProcs, cgroupOom, cgroupRmdir, cleanup, init, printOnStart, pidFile, logFile, logMaxSize,
                    execFifo, consoleSocket, preserveFds, health, RuntimeLog.NONE, cleanupOnFailure, 0, null, List.of(), null);
        }

        public LifecyclePlan(Path stateDir, List<String> cgroupProcs, List<String> cgroupOom, List<String> cgroupRmdir,
                List<String> cleanup, boolean init, String printOnStart, Path pidFile, Path logFile, long logMaxSize,
                Path execFifo, Path consoleSocket, int preserveFds, dev.pelagos.runtime.spec.HealthCheck health) {
            this(stateDir, cgroupProcs, cgroupOom, cgroupRmdir, cleanup, init, printOnStart, pidFile, logFile, logMaxSize,
                    execFifo, consoleSocket, preserveFds, health, List.of());
        }

        public LifecyclePlan(Path stateDir, List<String> cgroupProcs, List<String> cgroupOom, List<String> cgroupRmdir,
                List<String> cleanup, boolean init, String printOnStart, Path pidFile, Path logFile, long logMaxSize,
                Path execFifo, Path consoleSocket) {
            this(stateDir, cgroupProcs, cgroupOom, cgroupRmdir, cleanup, init, printOnStart, pidFile, logFile, logMaxSize,
                    execFifo, consoleSocket, 0, null);
        }

        /** The same, with the terminal made {@code size} (null: the caller's own terminal size). */
        public LifecyclePlan withConsoleSize(ConsoleSize size) {
            return new LifecyclePlan(stateDir, cgroupProcs, cgroupOom, cgroupRmdir, cleanup, init, printOnStart, pidFile,
                    logFile, logMaxSize, execFifo, consoleSocket, preserveFds, health, log, cleanupOnFailure, failureCode, size,
                    hooks, hookState);
        }

        /** The same, with the helper reporting to {@code newLog} instead. */
        public LifecyclePlan withLog(RuntimeLog newLog) {
            return new LifecyclePlan(stateDir, cgroupProcs, cgroupOom, cgroupRmdir, cleanup, init, printOnStart, pidFile,
                    logFile, logMaxSize, execFifo, consoleSocket, preserveFds, health, newLog, cleanupOnFailure, failureCode,
                    consoleSize, hooks, hookState);
        }

        /**
         * The same plan with OCI hooks for the helper to run.
         *
         * @param state the container's state JSON without its closing brace, pid and status (the helper adds them)
         */
        public LifecyclePlan withHooks(List<LaunchHook> newHooks, String state) {
            return new LifecyclePlan(stateDir, cgroupProcs, cgroupOom, cgroupRmdir, cleanup, init, printOnStart, pidFile,
                    logFile, logMaxSize, execFifo, consoleSocket, preserveFds, health, log, cleanupOnFailure, failureCode,
                    consoleSize, newHooks, state);
        }
    }
}
