package dev.pelagos.runtime.launch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Encodes a {@link LaunchPlan} into the helper's record format ({@code protocol.h}). */
public final class SpecEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

    private SpecEncoder() {
    }

    public static byte[] encode(LaunchPlan plan) {
        SpecEncoder e = new SpecEncoder();
        e.record(SpecTag.MAGIC, e.ints(SpecTag.MAGIC_VALUE, SpecTag.VERSION));
        e.u32(SpecTag.MODE, plan.mode().code());
        LaunchPlan.ProcessPlan p = plan.process();
        for (String a : p.args()) {
            e.str(SpecTag.ARG, a);
        }
        for (String v : p.env()) {
            e.str(SpecTag.ENV, v);
        }
        if (p.cwd() != null) {
            e.str(SpecTag.CWD, p.cwd());
        }
        if (p.uid() != null) {
            e.record(SpecTag.USER, e.ints(p.uid(), p.gid()));
            for (int g : p.groups()) {
                e.u32(SpecTag.GROUP, g);
            }
        }
        if (p.caps() != null) {
            LaunchPlan.Capabilities c = p.caps();
            e.record(SpecTag.CAPS, e.longs(c.bounding(), c.effective(), c.permitted(), c.inheritable(), c.ambient()));
        }
        e.u32(SpecTag.NO_NEW_PRIVS, p.noNewPrivileges() ? 1 : 0);
        if (p.seccomp() != null) {
            e.record(SpecTag.SECCOMP, p.seccomp());
        }
        for (LaunchPlan.Rlimit r : p.rlimits()) {
            ByteBuffer b = e.buf(24);
            b.putInt(r.resource()).putInt(0).putLong(r.soft()).putLong(r.hard());
            e.record(SpecTag.RLIMIT, b.array());
        }
        if (p.oomScoreAdj() != null) {
            e.u32(SpecTag.OOM_SCORE_ADJ, p.oomScoreAdj());
        }
        if (p.tty()) {
            e.u32(SpecTag.TTY, 1);
        }
        if (p.interactive()) {
            e.u32(SpecTag.INTERACTIVE, 1);
        }
        if (p.umask() != null) {
            e.u32(SpecTag.UMASK, p.umask());
        }
        if (p.personality() != null) {
            e.u32(SpecTag.PERSONALITY, p.personality());
        }

        LaunchPlan.FilesystemPlan f = plan.filesystem();
        e.str(SpecTag.ROOTFS, f.rootfs().toString());
        if (f.rootMount() != null) {
            e.mount(f.rootMount());
        }
        for (MountEntry m : f.mounts()) {
            e.mount(m);
        }
        for (DeviceNode d : f.devices()) {
            byte[] path = d.path().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = e.buf(28 + path.length);
            b.putInt(d.type()).putInt(d.major()).putInt(d.minor()).putInt(d.mode()).putInt(d.uid()).putInt(d.gid())
                    .putInt(path.length).put(path);
            e.record(SpecTag.DEVICE, b.array());
        }
        for (String[] link : f.symlinks()) {
            e.record(SpecTag.SYMLINK, e.lstrs(link[0], link[1]));
        }
        for (String m : f.masked()) {
            e.str(SpecTag.MASKED, m);
        }
        for (String r : f.readonly()) {
            e.str(SpecTag.READONLY, r);
        }
        if (f.readonlyRoot()) {
            e.u32(SpecTag.READONLY_ROOT, 1);
        }
        for (String s : f.sysctls()) {
            e.str(SpecTag.SYSCTL, s);
        }
        if (f.rootPropagation() != 0) {
            e.record(SpecTag.ROOT_PROPAGATION, e.longs(f.rootPropagation()));
        }
        if (f.noPivot()) {
            e.u32(SpecTag.NO_PIVOT, 1);
        }

        LaunchPlan.NamespacePlan n = plan.namespaces();
        e.u32(SpecTag.CLONE_FLAGS, n.cloneFlags());
        if (n.hostname() != null) {
            e.str(SpecTag.HOSTNAME, n.hostname());
        }
        if (n.loopbackUp()) {
            e.u32(SpecTag.LOOPBACK_UP, 1);
        }
        if (n.targetPid() != 0) {
            e.u32(SpecTag.TARGET_PID, n.targetPid());
        }
        for (LaunchPlan.NamespacePath j : n.joins()) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(e.ints(j.type()));
            o.writeBytes(e.lstrs(j.path()));
            e.record(SpecTag.NS_PATH, o.toByteArray());
            if (j.release()) {
                e.str(SpecTag.NS_RELEASE, j.path());
            }
        }
        if (n.uidMap() != null) {
            e.str(SpecTag.UID_MAP, n.uidMap());
        }
        if (n.gidMap() != null) {
            e.str(SpecTag.GID_MAP, n.gidMap());
        }

        LaunchPlan.LifecyclePlan l = plan.lifecycle();
        if (l.stateDir() != null) {
            e.str(SpecTag.STATE_DIR, l.stateDir().toString());
        }
        // plain loops: each lambda here would be one more class to spin up on the start path
        e.strs(SpecTag.CGROUP_PROCS, l.cgroupProcs());
        e.strs(SpecTag.CGROUP_OOM, l.cgroupOom());
        e.strs(SpecTag.CGROUP_RMDIR, l.cgroupRmdir());
        e.strs(SpecTag.CLEANUP, l.cleanup());
        e.strs(SpecTag.CLEANUP_ON_FAILURE, l.cleanupOnFailure());
        if (l.init()) {
            e.u32(SpecTag.INIT, 1);
        }
        if (l.printOnStart() != null) {
            e.str(SpecTag.PRINT_ON_START, l.printOnStart());
        }
        if (l.pidFile() != null) {
            e.str(SpecTag.PID_FILE, l.pidFile().toString());
        }
        if (l.logFile() != null) {
            e.str(SpecTag.LOG_STDOUT, l.logFile().toString());
            e.record(SpecTag.LOG_MAX_SIZE, e.longs(l.logMaxSize()));
        }
        if (l.execFifo() != null) {
            e.str(SpecTag.EXEC_FIFO, l.execFifo().toString());
        }
        if (l.consoleSocket() != null) {
            e.str(SpecTag.CONSOLE_SOCKET, l.consoleSocket().toString());
        }
        if (l.consoleSize() != null) {
            e.record(SpecTag.CONSOLE_SIZE, e.ints(l.consoleSize().rows(), l.consoleSize().columns()));
        }
        if (l.preserveFds() > 0) {
            e.u32(SpecTag.PRESERVE_FDS, l.preserveFds());
        }
        if (!l.log().isNone() || l.failureCode() != 0) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(e.ints(l.log().flags(), l.failureCode()));
            o.writeBytes(e.lstrs(l.log().file() == null ? "" : l.log().file().toString()));
            e.record(SpecTag.ERROR_LOG, o.toByteArray());
        }
        for (LaunchHook h : l.hooks()) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(e.ints(h.phase().code(), h.timeoutSeconds(), h.args().size(), h.env().size()));
            o.writeBytes(e.lstrs(h.path()));
            o.writeBytes(e.lstrs(h.args().toArray(new String[0])));
            o.writeBytes(e.lstrs(h.env().toArray(new String[0])));
            e.record(SpecTag.HOOK, o.toByteArray());
        }
        if (l.hookState() != null) {
            e.str(SpecTag.HOOK_STATE, l.hookState());
        }
        if (l.health() != null) {
            for (String a : l.health().test()) {
                e.str(SpecTag.HEALTH_ARG, a);
            }
            ByteBuffer b = e.buf(28);
            b.putLong(l.health().interval().toMillis()).putLong(l.health().timeout().toMillis())
                    .putLong(l.health().startPeriod().toMillis()).putInt(l.health().retries());
            e.record(SpecTag.HEALTH_TIMING, b.array());
        }
        return e.out.toByteArray();
    }

    /**
     * Records appended to an encoded spec override earlier ones of the same kind (the helper keeps
     * the last MODE, LOG path, ...): how a stored spec is restarted detached.
     */
    public static byte[] withOverrides(byte[] spec, SpecTag.Mode mode, String printOnStart, String logFile, long logMaxSize) {
        SpecEncoder e = new SpecEncoder();
        e.out.writeBytes(spec);
        e.u32(SpecTag.MODE, mode.code());
        if (printOnStart != null) {
            e.str(SpecTag.PRINT_ON_START, printOnStart);
        }
        if (logFile != null) {
            e.str(SpecTag.LOG_STDOUT, logFile);
            e.record(SpecTag.LOG_MAX_SIZE, e.longs(logMaxSize));
        }
        return e.out.toByteArray();
    }

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
    }

    private byte[] ints(int... vs) {
        ByteBuffer b = buf(4 * vs.length);
        for (int v : vs) {
            b.putInt(v);
        }
        return b.array();
    }

    private byte[] longs(long... vs) {
        ByteBuffer b = buf(8 * vs.length);
        for (long v : vs) {
            b.putLong(v);
        }
        return b.array();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private byte[] lstrs(String... ss) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (String s : ss) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            o.writeBytes(ints(b.length));
            o.writeBytes(b);
        }
        return o.toByteArray();
    }

    private void mount(MountEntry m) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(longs(m.flags(), m.propagation()));
        o.writeBytes(ints(m.options()));
        o.writeBytes(lstrs(m.source(), m.target(), m.fstype(), m.data()));
        record(SpecTag.MOUNT, o.toByteArray());
        if (m.recursiveSet() != 0 || m.recursiveClear() != 0) {
            record(SpecTag.MOUNT_ATTR, longs(m.recursiveSet(), m.recursiveClear()));
        }
        MountIdMap id = m.idMap();
        if (id != null) {
            ByteArrayOutputStream r = new ByteArrayOutputStream();
            r.writeBytes(ints(id.recursive() ? 1 : 0));
            r.writeBytes(lstrs(nz(id.uidMap()), nz(id.gidMap()), nz(id.usernsPath())));
            record(SpecTag.MOUNT_IDMAP, r.toByteArray());
        }
    }

    private void u32(SpecTag tag, int v) {
        record(tag, ints(v));
    }

    private void strs(SpecTag tag, java.util.List<String> values) {
        for (String v : values) {
            str(tag, v);
        }
    }

    private void str(SpecTag tag, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(tag + " contains a NUL byte");
        }
        record(tag, s.getBytes(StandardCharsets.UTF_8));
    }

    private void record(SpecTag tag, byte[] payload) {
        ByteBuffer h = buf(8);
        h.putShort((short) tag.code()).putShort((short) 0).putInt(payload.length);
        out.writeBytes(h.array());
        out.writeBytes(payload);
    }
}
