package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A container's cgroup in the unified hierarchy: one directory. */
record V2Cgroup(CgroupPath cgroupPath, Path dir) implements Cgroup {
    private static final long KILL_TIMEOUT_MS = 10_000;
    private static final long FREEZE_TIMEOUT_MS = 5_000;

    @Override
    public String path() {
        return cgroupPath.toString();
    }

    @Override
    public List<Path> procsFiles() {
        return List.of(dir.resolve("cgroup.procs"));
    }

    @Override
    public List<Path> procsFiles(SubCgroups sub) throws PelagosException {
        if (!sub.byController().isEmpty()) {
            throw new PelagosException(ErrorKind.UNSUPPORTED, "cannot choose a sub-cgroup per controller on cgroup v2: "
                    + "every controller is in the one hierarchy", "give --cgroup PATH without controller names");
        }
        return List.of(SubCgroupFiles.procs(dir, sub.forAll()));
    }

    @Override
    public List<Path> oomCounterFiles() {
        return Files.exists(dir.resolve("memory.events")) ? List.of(dir.resolve("memory.events")) : List.of();
    }

    @Override
    public List<Path> directories() {
        return List.of(dir);
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(dir);
    }

    @Override
    public List<Long> pids() throws PelagosException {
        List<Long> pids = new ArrayList<>(CgroupFiles.readPids(dir.resolve("cgroup.procs")));
        for (Path sub : CgroupFiles.descendants(dir)) {
            pids.addAll(CgroupFiles.readPids(sub.resolve("cgroup.procs")));
        }
        return pids;
    }

    @Override
    public Stats stats() throws PelagosException {
        requireExists("read stats of");
        StatsReader s = new StatsReader();
        V2Cpu.stats(dir, s);
        V2Memory.stats(dir, s);
        V2Pids.stats(dir, s);
        V2Io.stats(dir, s);
        return s.toStats();
    }

    @Override
    public long oomKillCount() throws PelagosException {
        return CgroupFiles.readKeyed(dir, "memory.events").getOrDefault("oom_kill", 0L);
    }

    @Override
    public void update(Resources resources) throws PelagosException {
        requireExists("update");
        V2Driver.applyAll(dir, resources, false);
    }

    @Override
    public void freeze() throws PelagosException {
        setFrozen(true);
    }

    @Override
    public void thaw() throws PelagosException {
        setFrozen(false);
    }

    @Override
    public boolean frozen() throws PelagosException {
        String events = exists() ? CgroupFiles.readIfExists(dir, "cgroup.events") : null;
        return events != null && events.lines().anyMatch("frozen 1"::equals);
    }

    private void setFrozen(boolean frozen) throws PelagosException {
        requireExists(frozen ? "freeze" : "thaw");
        CgroupFiles.write(dir, "cgroup.freeze", frozen ? "1" : "0", frozen ? "freezing" : "thawing");
        if (CgroupFiles.exists(dir, "cgroup.events")) {
            String want = "frozen " + (frozen ? 1 : 0);
            boolean settled = Poll.until(FREEZE_TIMEOUT_MS, () -> !exists() || CgroupFiles.read(dir, "cgroup.events").lines()
                    .anyMatch(want::equals));
            if (!settled) {
                throw new PelagosException(ErrorKind.INTERNAL, "cgroup " + path() + " did not become "
                        + (frozen ? "frozen" : "thawed") + " within " + FREEZE_TIMEOUT_MS / 1000 + " s");
            }
        }
    }

    @Override
    public void killAll() throws PelagosException {
        if (!exists() || pids().isEmpty()) {
            return;
        }
        if (CgroupFiles.exists(dir, "cgroup.kill")) {
            CgroupFiles.write(dir, "cgroup.kill", "1", "killing every task");
        } else {
            // before cgroup.kill (Linux 5.14): freeze so nothing forks between reading and killing
            freeze();
            Signals.killAll(pids());
            thaw();
        }
        if (!Poll.until(KILL_TIMEOUT_MS, () -> !exists() || pids().isEmpty())) {
            throw new PelagosException(ErrorKind.INTERNAL, "tasks in cgroup " + path() + " did not exit within "
                    + KILL_TIMEOUT_MS / 1000 + " s of SIGKILL: " + pids(), "a task may be stuck in the kernel (D state)");
        }
    }

    @Override
    public void destroy() throws PelagosException {
        if (!exists()) {
            return;
        }
        killAll();
        for (Path sub : CgroupFiles.descendants(dir)) {
            CgroupFiles.rmdir(sub);
        }
        CgroupFiles.rmdir(dir);
    }

    private void requireExists(String doing) throws PelagosException {
        if (!exists()) {
            throw PelagosException.notFound("cannot " + doing + " cgroup " + path() + ": it no longer exists",
                    "the container has exited");
        }
    }
}
