package dev.pelagos.runtime.oci;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.Cgroup;
import dev.pelagos.cgroup.CgroupDriver;
import dev.pelagos.runtime.launch.Helper;
import dev.pelagos.sys.NativeProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OCI lifecycle after {@code create} ({@link OciCreate}): start, state, kill, delete, pause,
 * resume. Each call is one short-lived process in the CLI, so nothing is cached between calls.
 */
public final class OciRuntime {
    private static final int ESRCH = 3;
    private static final int SIGKILL = 9;

    private final OciStore store;
    private final Helper helper;

    public OciRuntime(OciStore store, Helper helper) {
        this.store = store;
        this.helper = helper;
    }

    public OciStore store() {
        return store;
    }

    public Helper helper() {
        return helper;
    }

    /** The current state; a create that died half-way is swept and reported as absent. */
    public OciContainer find(String id) throws PelagosException {
        OciContainer c = store.load(id);
        if (c.pid() == 0 && c.status() == OciStatus.STOPPED) {
            sweep(c);
            throw PelagosException.notFound("container '" + id + "' does not exist (its create failed)", null);
        }
        return c;
    }

    /** Removes what a create that died half-way left: its cgroups and its state directory. */
    public void sweep(OciContainer c) throws PelagosException {
        try {
            Cgroup cg = cgroup(c);
            if (cg != null) {
                cg.destroy();
            }
        } catch (PelagosException e) {
            // a cgroup that cannot be removed now is no reason to keep the state
        }
        if (c.record().extraCgroups() != null) {
            c.record().extraCgroups().forEach(V1ExtraControllers::remove);
        }
        store.remove(c.id());
    }

    /** Sweeps {@code id} when it is a failed create, so the id can be used again. */
    public void sweepIfStale(String id) throws PelagosException {
        OciContainer c = store.loadOrNull(id);
        if (c != null && c.pid() == 0 && c.status() == OciStatus.STOPPED) {
            sweep(c);
        }
    }

    public String stateJson(String id) throws PelagosException {
        OciContainer c = find(id);
        return OciStateJson.pretty(OciStateJson.of(c, c.status()));
    }

    /** Lets the created process exec its program; returns warnings from poststart hooks. */
    public List<String> start(String id) throws PelagosException {
        OciContainer c = find(id);
        OciStatus s = c.status();
        if (s != OciStatus.CREATED) {
            throw PelagosException.conflict("container '" + id + "' is not in 'created' state (current: " + s.wire() + ")",
                    s == OciStatus.STOPPED ? "delete it and create it again" : null);
        }
        OciConfig.Hooks hooks = c.record().hooks();
        // startContainer hooks run inside the container (the helper's part), between these two steps
        dev.pelagos.base.DebugLog.log(OciRuntime.class, "start {0}: releasing process {1} through the exec fifo", id, c.pid());
        releaseFifo(c);
        try {
            Files.deleteIfExists(c.fifo());
        } catch (IOException e) {
            throw PelagosException.io("mark container " + id + " as started", e);
        }
        if (hooks == null || hooks.poststart() == null) {
            return List.of();
        }
        return HookRunner.runAllWarning("poststart", hooks.poststart(), OciStateJson.compact(OciStateJson.of(c, OciStatus.RUNNING)));
    }

    /**
     * Opens the exec FIFO for reading and takes the container's answer: "0" when it goes on to
     * exec, or "E" and a line saying why it could not (a startContainer hook failed, say), after
     * which it exits. Opened read-write so the open itself never blocks; the read is watched so
     * that a container that dies meanwhile gives an error rather than a hang.
     */
    private void releaseFifo(OciContainer c) throws PelagosException {
        RandomAccessFile fifo;
        try {
            fifo = new RandomAccessFile(c.fifo().toFile(), "rw");
        } catch (IOException e) {
            throw PelagosException.io("open the exec fifo of container " + c.id(), e);
        }
        // a plain thread and join: CompletableFuture would start the common ForkJoinPool, which a
        // fresh JVM pays for in milliseconds on every 'start'
        FifoReader reader = new FifoReader(fifo);
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                reader.join(50);
                if (!reader.isAlive()) {
                    break;
                }
                if (!c.alive()) {
                    throw PelagosException.conflict("container '" + c.id() + "' exited before it was started",
                            "delete it and create it again");
                }
            }
            if (reader.error != null) {
                throw PelagosException.io("read the exec fifo of container " + c.id(), reader.error);
            }
            if (reader.failure != null) {
                signal(c, SIGKILL); // it exits by itself; this only makes sure
                throw PelagosException.conflict("container '" + c.id() + "' could not start: " + reader.failure,
                        "the container is stopped: delete it (and fix the cause) before creating it again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PelagosException.conflict("start of container '" + c.id() + "' was interrupted", null);
        } finally {
            reader.interrupt();
            try {
                fifo.close();
            } catch (IOException e) {
                // nothing more to do with it
            }
        }
    }

    /** Takes the container's answer from the exec FIFO; its fields are read after join. */
    private static final class FifoReader extends Thread {
        private final RandomAccessFile fifo;
        private String failure;
        private IOException error;

        FifoReader(RandomAccessFile fifo) {
            super("exec-fifo");
            this.fifo = fifo;
        }

        @Override
        public void run() {
            try {
                failure = readAnswer(fifo);
            } catch (IOException e) {
                error = e;
            }
        }
    }

    /** Null for "0" (started); otherwise why not. */
    private static String readAnswer(RandomAccessFile fifo) throws IOException {
        int b = fifo.read();
        if (b == '0') {
            return null;
        }
        if (b != 'E') {
            return b < 0 ? "its exec fifo closed" : "unexpected answer on its exec fifo";
        }
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        // the helper writes the line in one write of at most a few KiB; the bound only guards a broken peer
        for (int n = 0; n < 8192 && (b = fifo.read()) >= 0 && b != '\n'; n++) {
            line.write(b);
        }
        return line.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public void kill(String id, int signal, boolean all) throws PelagosException {
        OciContainer c = find(id);
        OciStatus s = c.status();
        if (s == OciStatus.STOPPED && all) {
            return; // nothing left to signal: kill --all is a no-op then, as with runc
        }
        if (s == OciStatus.STOPPED || s == OciStatus.CREATING) {
            throw PelagosException.conflict("container '" + id + "' is not running (" + s.wire() + ")", null);
        }
        if (all) {
            Cgroup cg = cgroup(c);
            if (cg != null) {
                for (long pid : cg.pids()) {
                    NativeProcess.signal(helper.jniLibrary(), (int) pid, 0, signal);
                }
            }
        }
        int err = signal(c, signal);
        dev.pelagos.base.DebugLog.log(OciRuntime.class, "kill {0}: signal {1} to process {2} (errno {3})", id, signal, c.pid(), err);
        if (err != 0 && !(all && err == ESRCH)) {
            throw PelagosException.conflict("cannot signal container '" + id + "' (errno " + err + ")",
                    err == ESRCH ? "it has exited" : null);
        }
    }

    private int signal(OciContainer c, int signal) {
        return NativeProcess.signal(helper.jniLibrary(), c.pid(), c.startTime(), signal);
    }

    /** Removes a stopped container (or, with force, kills one first); returns poststop warnings. */
    public List<String> delete(String id, boolean force) throws PelagosException {
        OciContainer c;
        try {
            c = store.load(id);
        } catch (PelagosException e) {
            if (force && e.kind() == ErrorKind.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
        OciStatus s = c.status();
        if (s != OciStatus.STOPPED) {
            if (!force) {
                throw PelagosException.conflict("container '" + id + "' is " + s.wire()
                        + (c.pid() > 0 ? " (pid " + c.pid() + ")" : "") + "; stop it first", "or use 'pelagos delete --force " + id + "'");
            }
            killAndWait(c);
        }
        List<String> warnings = new ArrayList<>();
        OciConfig.Hooks hooks = c.record().hooks();
        if (hooks != null && hooks.poststop() != null && c.pid() > 0) {
            warnings.addAll(HookRunner.runAllWarning("poststop", hooks.poststop(),
                    OciStateJson.compact(OciStateJson.of(c, OciStatus.STOPPED))));
        }
        Cgroup cg = cgroup(c);
        if (cg != null) {
            cg.destroy();
        }
        if (c.record().extraCgroups() != null) {
            c.record().extraCgroups().forEach(V1ExtraControllers::remove);
        }
        store.remove(id);
        return warnings;
    }

    private void killAndWait(OciContainer c) throws PelagosException {
        Cgroup cg = cgroup(c);
        if (cg != null && Files.exists(c.dir().resolve(OciContainer.PAUSED))) {
            cg.thaw();
        }
        if (c.pid() > 0) {
            signal(c, SIGKILL);
        }
        if (cg != null) {
            cg.killAll();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.alive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (c.alive()) {
            throw PelagosException.conflict("container '" + c.id() + "' (pid " + c.pid() + ") did not die within 5s of SIGKILL", null);
        }
    }

    public void pause(String id) throws PelagosException {
        OciContainer c = find(id);
        if (c.status() != OciStatus.RUNNING) {
            throw PelagosException.conflict("container '" + id + "' is not running (" + c.status().wire() + ")", null);
        }
        Cgroup cg = requireCgroup(c);
        cg.freeze();
        try {
            Files.writeString(c.dir().resolve(OciContainer.PAUSED), "");
        } catch (IOException e) {
            cg.thaw();
            throw PelagosException.io("record the pause of container " + id, e);
        }
    }

    public void resume(String id) throws PelagosException {
        OciContainer c = find(id);
        if (c.status() != OciStatus.PAUSED) {
            throw PelagosException.conflict("container '" + id + "' is not paused (" + c.status().wire() + ")", null);
        }
        requireCgroup(c).thaw();
        try {
            Files.deleteIfExists(c.dir().resolve(OciContainer.PAUSED));
        } catch (IOException e) {
            throw PelagosException.io("record the resume of container " + id, e);
        }
    }

    /** The pids in the container's cgroup (the container process first when it is alive). */
    public List<Long> pids(String id) throws PelagosException {
        OciContainer c = find(id);
        Cgroup cg = cgroup(c);
        List<Long> out = new ArrayList<>();
        if (c.alive()) {
            out.add((long) c.pid());
        }
        if (cg != null) {
            for (long p : cg.pids()) {
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Changes the limits of a live container (OCI {@code linux.resources}); others stay as they are. */
    public void update(String id, OciConfig.Resources resources) throws PelagosException {
        OciContainer c = find(id);
        if (c.status() == OciStatus.STOPPED) {
            throw PelagosException.conflict("container '" + id + "' is stopped; there is nothing to update", null);
        }
        Cgroup cg = requireCgroup(c);
        OciConfig.Memory m = resources == null ? null : resources.memory();
        if (m != null && m.swap() != null && m.limit() == null) {
            // memory+swap is checked against the memory limit: the current one, when this call keeps it
            long current = cg.stats().memoryLimitBytes();
            m = new OciConfig.Memory(current > 0 ? current : -1L, m.reservation(), m.swap(), m.kernel(), m.kernelTCP(),
                    m.swappiness(), m.disableOOMKiller(), m.useHierarchy(), m.checkBeforeUpdate());
            resources = new OciConfig.Resources(resources.devices(), m, resources.cpu(), resources.pids(), resources.blockIO(),
                    resources.hugepageLimits(), resources.network(), resources.rdma(), resources.unified());
        }
        cg.update(OciCgroups.resources(resources));
        if (resources != null && resources.devices() != null) {
            dev.pelagos.runtime.container.DeviceCgroup.update(CgroupDriver.detect(), c.record().cgroupPath(),
                    V1ExtraControllers.rules(resources.devices()), helper.jniLibrary());
        }
    }

    /** One sample of the container's cgroup statistics, or null when it has no cgroup (left). */
    public dev.pelagos.cgroup.Stats stats(String id) throws PelagosException {
        OciContainer c = find(id);
        Cgroup cg = cgroup(c);
        return cg == null ? null : cg.stats();
    }

    public Cgroup requireCgroup(OciContainer c) throws PelagosException {
        Cgroup cg = cgroup(c);
        if (cg == null) {
            throw new PelagosException(ErrorKind.UNSUPPORTED, "container '" + c.id() + "' has no cgroup", null);
        }
        return cg;
    }

    static Cgroup cgroup(OciContainer c) throws PelagosException {
        if (c.record().cgroupPath() == null) {
            return null;
        }
        try {
            return CgroupDriver.detect().open(c.record().cgroupPath());
        } catch (PelagosException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
