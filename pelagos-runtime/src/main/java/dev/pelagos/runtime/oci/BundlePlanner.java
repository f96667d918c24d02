package dev.pelagos.runtime.oci;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.CgroupMount;
import dev.pelagos.runtime.launch.DefaultFilesystem;
import dev.pelagos.runtime.launch.DeviceNode;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.Linux;
import dev.pelagos.runtime.launch.MountEntry;
import dev.pelagos.runtime.launch.MountIdMap;
import dev.pelagos.runtime.launch.RuntimeLog;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.spec.Capability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a validated bundle config into the helper's {@link LaunchPlan}. The OCI config is
 * complete by definition: nothing is added except what the runtime spec itself requires (the
 * default devices and /dev symlinks) and what the caller asked for on the command line.
 */
public final class BundlePlanner {
    /** runc's exit code for a create or run that fails (Docker's 125/126/127 are for 'pelagos run IMAGE'). */
    public static final int START_FAILED = 1;

    private static final Map<String, Integer> CLONE = Map.of("pid", Linux.CLONE_NEWPID, "network", Linux.CLONE_NEWNET,
            "mount", Linux.CLONE_NEWNS, "ipc", Linux.CLONE_NEWIPC, "uts", Linux.CLONE_NEWUTS, "user", Linux.CLONE_NEWUSER,
            "cgroup", Linux.CLONE_NEWCGROUP);
    private static final int PER_LINUX32 = 0x0008;

    /**
     * What the command line adds to the bundle.
     *
     * @param mode CREATE (wait for start), or RUN (foreground, the helper removes the state when it ends)
     * @param waitForStart CREATE only: block on the exec FIFO until {@code start} (false for {@code run --detach})
     */
    public record Options(Path pidFile, Path consoleSocket, int preserveFds, boolean noPivot, SpecTag.Mode mode,
            boolean waitForStart, RuntimeLog log, boolean keep) {
        public static Options create(Path pidFile, Path consoleSocket, int preserveFds, boolean noPivot) {
            return new Options(pidFile, consoleSocket, preserveFds, noPivot, SpecTag.Mode.CREATE, true, RuntimeLog.NONE, false);
        }

        /** The same, with the helper reporting to the runtime's {@code --log} (and logging its steps with --debug). */
        public Options withLog(RuntimeLog l) {
            return new Options(pidFile, consoleSocket, preserveFds, noPivot, mode, waitForStart, l, keep);
        }

        public Options withMode(SpecTag.Mode m, boolean wait) {
            return new Options(pidFile, consoleSocket, preserveFds, noPivot, m, wait, log, keep);
        }

        /** RUN: keep the stopped container (state and cgroup) for 'delete' instead of removing it on exit. */
        public Options withKeep(boolean k) {
            return new Options(pidFile, consoleSocket, preserveFds, noPivot, mode, waitForStart, log, k);
        }
    }

    private BundlePlanner() {
    }

    /** A mount's destination, absolute (a relative one is under the root). */
    static String destination(OciConfig.Mount m) {
        return m.destination().startsWith("/") ? m.destination() : "/" + m.destination();
    }

    /** A bind's source on the host: as given when absolute, else under the bundle. */
    static String bindSource(OciConfig.Mount m, Path bundle) {
        String src = m.source() == null ? "" : m.source();
        return src.startsWith("/") ? src : bundle.resolve(src).toAbsolutePath().normalize().toString();
    }

    /**
     * @param cgroupMounts the driver's steps for a cgroup filesystem mount (replacing a "cgroup" entry)
     * @param cgroupProcs the cgroup.procs files the helper puts the process in
     * @param seccomp the compiled filter, or null
     */
    public static LaunchPlan plan(OciConfig c, Path bundle, Path stateDir, Options o, List<CgroupMount> cgroupMounts,
            List<String> cgroupProcs, List<String> cgroupDirs, byte[] seccomp) throws PelagosException {
        Path rootfs = bundle.resolve(c.root().path()).toAbsolutePath().normalize();
        LaunchPlan.ProcessPlan process = process(c.process(), seccomp);

        List<MountEntry> mounts = new ArrayList<>();
        boolean devIsBind = false;
        for (OciConfig.Mount m : c.mounts() == null ? List.<OciConfig.Mount>of() : c.mounts()) {
            String dest = destination(m);
            if ("cgroup".equals(m.type()) || "cgroup2".equals(m.type())) {
                mounts.addAll(cgroupEntries(cgroupMounts));
                continue;
            }
            MountOptions opts = MountOptions.parse(m.type(), m.options());
            if (opts.bind()) {
                String src = bindSource(m, bundle);
                devIsBind |= dest.equals("/dev");
                MountEntry bind = new MountEntry(src, dest, "", opts.flags(), opts.propagation(), SpecTag.MNT_MKDIR, opts.data(),
                        opts.recursiveSet(), opts.recursiveClear());
                MountIdMap idMap = MountIdMaps.plan(c, m, opts);
                mounts.add(idMap == null ? bind : bind.withIdMap(idMap));
            } else {
                String type = m.type() == null ? "" : m.type();
                String src = m.source() == null || m.source().isEmpty() ? type : m.source();
                // a symlinked /proc or /sys would carry the kernel's views (and the masks over them) elsewhere
                int nofollow = type.equals("proc") || type.equals("sysfs") ? SpecTag.MNT_NOFOLLOW : 0;
                mounts.add(new MountEntry(src, dest, type, opts.flags(), opts.propagation(), SpecTag.MNT_MKDIR | nofollow,
                        opts.data(), opts.recursiveSet(), opts.recursiveClear()));
            }
        }
        OciConfig.Linux l = c.linux();
        Map<String, DeviceNode> devices = new LinkedHashMap<>();
        List<String[]> symlinks = List.of();
        if (!devIsBind) {
            for (DeviceNode d : DefaultFilesystem.devices()) {
                devices.put(d.path(), d);
            }
            symlinks = DefaultFilesystem.symlinks();
        }
        if (l != null && l.devices() != null) {
            for (OciConfig.Device d : l.devices()) {
                char type = d.type().equals("u") ? 'c' : d.type().charAt(0);
                devices.put(d.path(), new DeviceNode(d.path(), type, d.major() == null ? 0 : d.major().intValue(),
                        d.minor() == null ? 0 : d.minor().intValue(), d.fileMode() == null ? 0666 : d.fileMode(),
                        d.uid() == null ? 0 : d.uid().intValue(), d.gid() == null ? 0 : d.gid().intValue()));
            }
        }
        List<String> sysctls = new ArrayList<>();
        if (l != null && l.sysctl() != null) {
            l.sysctl().forEach((k, v) -> sysctls.add(k + "=" + v));
        }
        long propagation = l != null && l.rootfsPropagation() != null && !l.rootfsPropagation().isEmpty()
                ? MountOptions.propagation(l.rootfsPropagation()) : 0;
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(rootfs, null, mounts, List.copyOf(devices.values()),
                symlinks, l == null || l.maskedPaths() == null ? List.of() : l.maskedPaths(),
                l == null || l.readonlyPaths() == null ? List.of() : l.readonlyPaths(),
                c.root().readonly() != null && c.root().readonly(), sysctls, propagation, o.noPivot());

        LaunchPlan.NamespacePlan ns = namespaces(c);
        boolean keep = o.mode() == SpecTag.Mode.RUN && o.keep();
        LaunchPlan.LifecyclePlan life = new LaunchPlan.LifecyclePlan(stateDir, cgroupProcs, List.of(), keep ? List.of() : cgroupDirs,
                keep ? List.of() : List.of(stateDir.toString()), false, null, o.pidFile(), null, 0,
                o.mode() == SpecTag.Mode.CREATE && o.waitForStart() ? stateDir.resolve(OciContainer.FIFO) : null,
                process.tty() ? o.consoleSocket() : null, o.preserveFds(), null, o.log(), START_FAILED)
                .withConsoleSize(consoleSize(c.process()));
        return new LaunchPlan(o.mode(), process, fs, ns, life);
    }

    /** process.consoleSize for a process with a terminal, else null (the terminal takes the caller's size). */
    static LaunchPlan.ConsoleSize consoleSize(OciConfig.Process p) throws PelagosException {
        OciConfig.ConsoleSize size = p.consoleSize();
        if (p.terminal() == null || !p.terminal() || size == null || size.height() == null || size.width() == null) {
            return null;
        }
        if (size.height() < 0 || size.height() > 0xffff || size.width() < 0 || size.width() > 0xffff) {
            throw PelagosException.invalid("process.consoleSize " + size.height() + "x" + size.width()
                    + " is out of range", "height and width must be between 0 and 65535");
        }
        return new LaunchPlan.ConsoleSize(size.height().intValue(), size.width().intValue());
    }

    static LaunchPlan.ProcessPlan process(OciConfig.Process p, byte[] seccomp) throws PelagosException {
        OciConfig.User u = p.user();
        int uid = u == null || u.uid() == null ? 0 : u.uid().intValue();
        int gid = u == null || u.gid() == null ? 0 : u.gid().intValue();
        List<Integer> groups = new ArrayList<>();
        if (u != null && u.additionalGids() != null) {
            u.additionalGids().forEach(g -> groups.add(g.intValue()));
        }
        List<LaunchPlan.Rlimit> rlimits = new ArrayList<>();
        if (p.rlimits() != null) {
            for (OciConfig.Rlimit r : p.rlimits()) {
                rlimits.add(new LaunchPlan.Rlimit(ConfigValidator.RLIMITS.get(r.type()),
                        r.soft() == null ? 0 : r.soft().longValue(), r.hard() == null ? 0 : r.hard().longValue()));
            }
        }
        Integer personality = null;
        return new LaunchPlan.ProcessPlan(p.args(), p.env() == null ? List.of() : p.env(), p.cwd(), uid, gid, groups,
                capabilities(p.capabilities()), p.noNewPrivileges() != null && p.noNewPrivileges(), seccomp, rlimits,
                // interactive: as with runc, the process gets the caller's stdin (containerd's shim and podman pass pipes)
                p.oomScoreAdj(), p.terminal() != null && p.terminal(), true, u == null ? null : u.umask(), personality);
    }

    static LaunchPlan.ProcessPlan withPersonality(LaunchPlan.ProcessPlan p, OciConfig.Linux l) {
        if (l == null || l.personality() == null || l.personality().domain() == null) {
            return p;
        }
        int domain = l.personality().domain().equals("LINUX32") ? PER_LINUX32 : 0;
        return new LaunchPlan.ProcessPlan(p.args(), p.env(), p.cwd(), p.uid(), p.gid(), p.groups(), p.caps(),
                p.noNewPrivileges(), p.seccomp(), p.rlimits(), p.oomScoreAdj(), p.tty(), p.interactive(), p.umask(), domain);
    }

    /** The five capability sets as masks; an absent object means no capabilities at all. */
    public static LaunchPlan.Capabilities capabilities(OciConfig.Capabilities k) throws PelagosException {
        if (k == null) {
            return new LaunchPlan.Capabilities(0, 0, 0, 0, 0);
        }
        long permitted = mask(k.permitted());
        long inheritable = mask(k.inheritable());
        // the kernel raises an ambient capability only if it is permitted and inheritable
        // (runc's own starter config lists ambient capabilities without inheritable ones)
        return new LaunchPlan.Capabilities(mask(k.bounding()), mask(k.effective()), permitted, inheritable,
                mask(k.ambient()) & permitted & inheritable);
    }

    private static long mask(List<String> names) throws PelagosException {
        long m = 0;
        for (String n : names == null ? List.<String>of() : names) {
            m |= Capability.parse(n).bit();
        }
        return m;
    }

    static LaunchPlan.NamespacePlan namespaces(OciConfig c) throws PelagosException {
        int flags = 0;
        List<LaunchPlan.NamespacePath> joins = new ArrayList<>();
        OciConfig.Linux l = c.linux();
        for (OciConfig.Namespace n : l == null || l.namespaces() == null ? List.<OciConfig.Namespace>of() : l.namespaces()) {
            Integer flag = CLONE.get(n.type());
            if (flag == null) {
                throw new PelagosException(ErrorKind.UNSUPPORTED, "config.json: linux.namespaces: '" + n.type()
                        + "' namespaces are not supported by pelagos", "remove the entry");
            }
            if (n.path() != null && !n.path().isEmpty()) {
                joins.add(new LaunchPlan.NamespacePath(flag, n.path()));
            } else {
                flags |= flag;
            }
        }
        String hostname = c.hostname() != null && !c.hostname().isEmpty() ? c.hostname() : null;
        return new LaunchPlan.NamespacePlan(flags, hostname, (flags & Linux.CLONE_NEWNET) != 0, 0, joins,
                idMap(l == null ? null : l.uidMappings()), idMap(l == null ? null : l.gidMappings()));
    }

    private static String idMap(List<OciConfig.IdMapping> maps) {
        if (maps == null || maps.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (OciConfig.IdMapping m : maps) {
            sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return sb.toString();
    }

    /** The cgroup driver's steps as helper mounts (symlinks between co-mounted controllers are left out). */
    private static List<MountEntry> cgroupEntries(List<CgroupMount> steps) {
        List<MountEntry> out = new ArrayList<>();
        for (CgroupMount s : steps) {
            long flags = 0;
            for (String f : s.flags()) {
                flags |= MountOptions.parse(null, List.of(f)).flags();
            }
            switch (s.kind()) {
                case MOUNT -> out.add(new MountEntry(s.source(), s.target(), s.fstype(), flags, 0, SpecTag.MNT_MKDIR, s.data()));
                case REMOUNT -> out.add(new MountEntry("", s.target(), "", flags | Linux.MS_REMOUNT | Linux.MS_BIND, 0, 0, ""));
                case SYMLINK -> {
                    // the helper makes symlinks before /sys is mounted; co-mounted aliases are a convenience
                }
            }
        }
        return out;
    }
}
