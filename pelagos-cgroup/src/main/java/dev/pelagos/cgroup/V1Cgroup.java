package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup on v1: one directory per hierarchy, keyed by controller name (or
 * {@code name=NAME} for a named hierarchy, {@link V1Driver#UNIFIED} for a hybrid host's cgroup2
 * mount), in the driver's order.
 */
record V1Cgroup(CgroupPath cgroupPath, Map<String, Path> dirs) implements Cgroup {
    private static final long KILL_TIMEOUT_MS = 10_000;
    private static final long FREEZE_TIMEOUT_MS = 5_000;

    V1Cgroup {
        // the limits' controllers first, in the driver's order, then the rest as given
        java.util.LinkedHashMap<String, Path> ordered = new java.util.LinkedHashMap<>();
        for (String c : V1Driver.JOINED) {
            if (dirs.containsKey(c)) {
                ordered.put(c, dirs.get(c));
            }
        }
        ordered.putAll(dirs);
        dirs = java.util.Collections.unmodifiableMap(ordered);
    }

    @Override
    public String path() {
        return cgroupPath.toString();
    }

    /** Distinct directories in the driver's hierarchy order. */
    private List<Path> distinctDirs() {
        return List.copyOf(new LinkedHashSet<>(dirs.values()));
    }

    @Override
    public List<Path> procsFiles() {
        return distinctDirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    public List<Path> procsFiles(SubCgroups sub) throws PelagosException {
        for (String ctrl : sub.byController().keySet()) {
            if (!dirs.containsKey(ctrl)) {
                throw PelagosException.invalid("unknown controller " + ctrl + ": the container's cgroup has "
                        + String.join(", ", dirs.keySet()), "name one of those controllers");
            }
        }
        List<Path> out = new ArrayList<>();
        for (Path dir : distinctDirs()) {
            // co-mounted controllers (cpu,cpuacct) share this directory: they must not disagree
            String chosen = null;
            String by = null;
            for (Map.Entry<String, Path> e : dirs.entrySet()) {
                String p = sub.byController().get(e.getKey());
                if (e.getValue().equals(dir) && p != null) {
                    if (chosen != null && !chosen.equals(p)) {
                        throw PelagosException.invalid("controllers " + by + " and " + e.getKey() + " share a hierarchy but"
                                + " were given different sub-cgroups (" + chosen + ", " + p + ")", "give them the same path");
                    }
                    chosen = p;
                    by = e.getKey();
                }
            }
            out.add(SubCgroupFiles.procs(dir, chosen != null ? chosen : sub.forAll()));
        }
        return out;
    }

    @Override
    public List<Path> oomCounterFiles() {
        Path memory = dirs.get("memory");
        return memory == null ? List.of() : List.of(memory.resolve("memory.oom_control"));
    }

    @Override
    public List<Path> directories() {
        return distinctDirs();
    }

    @Override
    public boolean exists() {
        return distinctDirs().stream().anyMatch(Files::isDirectory);
    }

    @Override
    public List<Long> pids() throws PelagosException {
        LinkedHashSet<Long> pids = new LinkedHashSet<>();
        for (Path dir : distinctDirs()) {
            pids.addAll(CgroupFiles.readPids(dir.resolve("cgroup.procs")));
            for (Path sub : CgroupFiles.descendants(dir)) {
                pids.addAll(CgroupFiles.readPids(sub.resolve("cgroup.procs")));
            }
        }
        return new ArrayList<>(pids);
    }

    @Override
    public Stats stats() throws PelagosException {
        requireExists("read stats of");
        StatsReader s = new StatsReader();
        V1Cpu.stats(dirs.get("cpu"), dirs.get("cpuacct"), s);
        if (dirs.containsKey("memory")) {
            V1Memory.stats(dirs.get("memory"), s);
        }
        if (dirs.containsKey("pids")) {
            V1Pids.stats(dirs.get("pids"), s);
        }
        if (dirs.containsKey("blkio")) {
            V1Blkio.stats(dirs.get("blkio"), s);
        }
        return s.toStats();
    }

    @Override
    public long oomKillCount() throws PelagosException {
        Path memory = dirs.get("memory");
        return memory == null ? 0 : CgroupFiles.readKeyed(memory, "memory.oom_control").getOrDefault("oom_kill", 0L);
    }

    @Override
    public void update(Resources resources) throws PelagosException {
        requireExists("update");
        apply(resources, false);
    }

    void apply(Resources r, boolean creating) throws PelagosException {
        V1Driver.requireControllers(r, dirs.keySet().stream().filter(k -> !k.contains("=") && !k.equals(V1Driver.UNIFIED)).toList());
        if (r.setsMemory()) {
            V1Memory.apply(dirs.get("memory"), r, creating);
        }
        if (r.setsCpu()) {
            V1Cpu.apply(dirs.get("cpu"), r);
        }
        if (r.setsCpuset()) {
            V1Cpuset.apply(dirs.get("cpuset"), r);
        }
        if (r.setsPids()) {
            V1Pids.apply(dirs.get("pids"), r);
        }
        if (r.setsBlockIo()) {
            V1Blkio.apply(dirs.get("blkio"), r);
        }
    }

    @Override
    public void freeze() throws PelagosException {
        setState("FROZEN");
    }

    @Override
    public void thaw() throws PelagosException {
        setState("THAWED");
    }

    @Override
    public boolean frozen() throws PelagosException {
        Path freezer = dirs.get("freezer");
        String state = freezer == null || !Files.isDirectory(freezer) ? null : CgroupFiles.readIfExists(freezer, "freezer.state");
        return "FROZEN".equals(state);
    }

    private void setState(String state) throws PelagosException {
        Path freezer = dirs.get("freezer");
        if (freezer == null) {
            throw new PelagosException(ErrorKind.UNSUPPORTED,
                    "cannot " + (state.equals("FROZEN") ? "pause" : "resume") + " cgroup " + path()
                            + ": the freezer controller is not mounted", "mount the v1 freezer controller on the host");
        }
        requireExists(state.equals("FROZEN") ? "freeze" : "thaw");
        CgroupFiles.write(freezer, "freezer.state", state, "freezer state " + state);
        // FREEZING while tasks are still being stopped; FROZEN once all are
        boolean settled = Poll.until(FREEZE_TIMEOUT_MS, () -> !Files.isDirectory(freezer)
                || CgroupFiles.read(freezer, "freezer.state").equals(state));
        if (!settled) {
            throw new PelagosException(ErrorKind.INTERNAL, "cgroup " + path() + " did not reach " + state + " within "
                    + FREEZE_TIMEOUT_MS / 1000 + " s");
        }
    }

    @Override
    public void killAll() throws PelagosException {
        if (!exists() || pids().isEmpty()) {
            return;
        }
        boolean freezable = dirs.containsKey("freezer") && Files.isDirectory(dirs.get("freezer"));
        if (freezable) {
            // frozen tasks cannot fork, so the pid list we read is complete when we kill
            freeze();
            Signals.killAll(pids());
            thaw();
        }
        boolean empty = Poll.until(KILL_TIMEOUT_MS, () -> {
            List<Long> left = pids();
            Signals.killAll(left);
            return left.isEmpty();
        });
        if (!empty) {
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
        for (Path dir : distinctDirs()) {
            for (Path sub : CgroupFiles.descendants(dir)) {
                CgroupFiles.rmdir(sub);
            }
            CgroupFiles.rmdir(dir);
        }
    }

    private void requireExists(String doing) throws PelagosException {
        if (!exists()) {
            throw PelagosException.notFound("cannot " + doing + " cgroup " + path() + ": it no longer exists",
                    "the container has exited");
        }
    }
}
