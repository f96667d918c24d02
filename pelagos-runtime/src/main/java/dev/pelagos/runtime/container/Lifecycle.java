package dev.pelagos.runtime.container;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.Helper;
import dev.pelagos.runtime.launch.SpecEncoder;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.spec.Signals;
import dev.pelagos.sys.NativeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Operations on existing containers. Each follows youki's shape: refresh the state, check the
 * status allows it, act, and let the helper or the state files record the outcome.
 */
public final class Lifecycle {
    private static final Duration POLL = Duration.ofMillis(20);

    private final ContainerStore store;
    private final Helper helper;
    private final ContainerNetwork network;
    private final Path overlayRoot;

    /** @param overlayRoot where image containers' overlay directories live (one per container id) */
    Lifecycle(ContainerStore store, Helper helper, Path overlayRoot, ContainerNetwork network) {
        this.store = store;
        this.helper = helper;
        this.network = network;
        this.overlayRoot = overlayRoot;
    }

    /** Sends a signal to the container's main process. */
    public void kill(Container c, int signal) throws PelagosException {
        if (!c.status().canKill()) {
            throw PelagosException.conflict("container " + c.name() + " is not running (" + c.status().lower() + ")",
                    "start it first: pelagos start " + c.name());
        }
        if (c.state().pid() <= 0) {
            signalQuietly(c, signal);
            return;
        }
        int err = NativeProcess.signal(helper.jniLibrary(), c.state().pid(), c.state().pidStartTime(), signal);
        if (err != 0 && err != 3) {
            throw new PelagosException(ErrorKind.INTERNAL, "send " + Signals.name(signal) + " to container " + c.name()
                    + " (pid " + c.state().pid() + "): errno " + err, null);
        }
    }

    /**
     * Docker's stop: the stop signal, then SIGKILL once {@code timeout} has passed; returns when the
     * container has exited (its monitor has recorded the exit). Stopping a stopped container is a no-op.
     */
    public Container stop(Container c, int stopSignal, Duration timeout) throws PelagosException {
        if (!c.running()) {
            return c;
        }
        signalQuietly(c, stopSignal);
        Container now = awaitExit(c, timeout);
        if (now.running()) {
            signalQuietly(c, Signals.SIGKILL);
            now = awaitExit(c, Duration.ofSeconds(10));
        }
        return now;
    }

    private void signalQuietly(Container c, int sig) {
        if (c.state().pid() > 0 && ProcessLiveness.isAlive(c.state().pid(), c.state().pidStartTime())) {
            NativeProcess.signal(helper.jniLibrary(), c.state().pid(), c.state().pidStartTime(), sig);
        } else if (c.record().cgroupPath() != null) {
            // the pid is unknown (unreadable state) but processes run in its cgroup: signal them there
            try {
                dev.pelagos.cgroup.Cgroup cg = dev.pelagos.cgroup.CgroupDriver.detect().open(c.record().cgroupPath());
                if (sig == Signals.SIGKILL) {
                    cg.killAll();
                } else {
                    for (long pid : cg.pids()) {
                        NativeProcess.signal(helper.jniLibrary(), (int) pid, 0, sig);
                    }
                }
            } catch (PelagosException e) {
                System.getLogger(Lifecycle.class.getName()).log(System.Logger.Level.DEBUG,
                        "signal through the cgroup of " + c.name() + ": " + e.getMessage());
            }
        }
    }

    /** Polls until the container is no longer running or the timeout passes; returns its latest state. */
    public Container awaitExit(Container c, Duration timeout) throws PelagosException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Container now = refresh(c);
        while (now.running() && System.nanoTime() < deadline) {
            sleep(POLL);
            now = refresh(now);
        }
        return now;
    }

    /** Blocks until the container exits; returns its exit code (Docker's {@code wait}). */
    public int waitFor(Container c) throws PelagosException {
        Container now = refresh(c);
        while (now.running() || now.status() == ContainerStatus.CREATED) {
            sleep(Duration.ofMillis(50));
            now = refresh(now);
        }
        Integer code = now.state().exitCode();
        if (code == null) {
            // the monitor may have written the exit file just after we looked
            sleep(Duration.ofMillis(50));
            code = refresh(now).state().exitCode();
        }
        return code == null ? 255 : code;
    }

    /**
     * Removes a container's state and name. A running one needs {@code force} (SIGKILL first).
     * When its monitor died without cleaning up, the leftovers (cgroups) are removed here.
     */
    public void remove(Container c, boolean force) throws PelagosException {
        if (c.running()) {
            if (!force) {
                throw PelagosException.conflict("container " + c.name() + " is running: stop it first, or use --force",
                        "pelagos stop " + c.name() + ", or pelagos rm -f " + c.name());
            }
            signalQuietly(c, Signals.SIGKILL);
            c = awaitExit(c, Duration.ofSeconds(10));
            if (c.running()) {
                throw new PelagosException(ErrorKind.INTERNAL, "container " + c.name() + " did not die after SIGKILL",
                        "check for a process stuck in the kernel (D state)");
            }
        }
        // a monitor that died (or is still finishing) may have left the cgroup: kill what is in it, remove it
        if (c.record().cgroupPath() != null) {
            try {
                dev.pelagos.cgroup.CgroupDriver.detect().open(c.record().cgroupPath()).destroy();
            } catch (PelagosException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        if (!ContainerNetwork.endpoints(c.stateDir()).isEmpty()) {
            network.detach(c.id().value());
        }
        store.discard(c.id(), c.name());
        ImageRoot.removeDirs(overlayRoot.resolve(c.id().value()));
    }

    /**
     * Starts a stopped container again, detached (Docker's {@code start}). This process becomes the
     * helper; returns only by throwing.
     */
    public void start(Container c) throws PelagosException {
        helper.become(startSpec(c, true));
    }

    /**
     * Starts a stopped container as a child of this JVM (for {@code start -a}, which then follows
     * its output); returns once the container runs.
     */
    public void startInBackground(Container c) throws PelagosException {
        byte[] spec = startSpec(c, false);
        try {
            Path file = c.stateDir().resolve("spec.start");
            Files.write(file, spec);
            Process p = new ProcessBuilder(helper.binary().toString(), "run", "--spec", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int code = p.waitFor();
            Files.deleteIfExists(file);
            if (code != 0) {
                throw new PelagosException(ErrorKind.INTERNAL, "container " + c.name() + " could not be started", null);
            }
        } catch (IOException e) {
            throw PelagosException.io("start container " + c.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PelagosException(ErrorKind.INTERNAL, "interrupted", null);
        }
    }

    private byte[] startSpec(Container c, boolean printName) throws PelagosException {
        if (!c.status().canStart()) {
            throw PelagosException.conflict("container " + c.name() + " cannot be started (" + c.status().lower() + ")", null);
        }
        byte[] spec;
        try {
            if (c.record().cgroupPath() != null) {
                // the monitor removed it when the container stopped: make it again, with the same limits
                dev.pelagos.cgroup.CgroupDriver driver = dev.pelagos.cgroup.CgroupDriver.detect();
                try {
                    driver.open(c.record().cgroupPath()).destroy();
                } catch (PelagosException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                }
                driver.create(c.record().cgroupPath(), ContainerCgroup.resources(driver, c.record().resourceFlags()));
                DeviceCgroup.apply(driver, c.record().cgroupPath(), DeviceCgroup.load(c.stateDir()), helper.jniLibrary());
            }
            network.reattach(c.id().value(), c.stateDir());
            network.relinkShared(c.stateDir());
            spec = Files.readAllBytes(c.stateDir().resolve("spec"));
            Files.deleteIfExists(c.stateDir().resolve("exit"));
            Files.deleteIfExists(c.stateDir().resolve("pid"));
            store.writeLauncher(c.stateDir());
        } catch (NoSuchFileException e) {
            throw PelagosException.conflict("container " + c.name() + " cannot be restarted: it was created with --rm", null);
        } catch (IOException e) {
            throw PelagosException.io("prepare the restart of " + c.name(), e);
        }
        return SpecEncoder.withOverrides(spec, SpecTag.Mode.DETACH, printName ? c.name() : null,
                c.logFile().toString(), 10L << 20);
    }

    /**
     * Puts a running container on one more bridge network (Docker's {@code network connect}); it
     * answers to {@code aliases} as well, on all its networks.
     */
    public void connect(Container c, String networkName, List<String> aliases) throws PelagosException {
        requireRunning(c, "connected to a network");
        network.connect(c, network.resolve(List.of(networkName)).getFirst(), aliases);
    }

    /** Takes a running container off one of its bridge networks, not its first (Docker's {@code network disconnect}). */
    public void disconnect(Container c, String networkName) throws PelagosException {
        requireRunning(c, "disconnected from a network");
        network.disconnect(c, network.resolve(List.of(networkName)).getFirst());
    }

    private static void requireRunning(Container c, String what) throws PelagosException {
        if (!c.running()) {
            throw PelagosException.conflict("container " + c.name() + " is not running: only a running container can be " + what,
                    "start it first (pelagos start " + c.name() + "), or give --network when it is created");
        }
    }

    public Container refresh(Container c) throws PelagosException {
        return store.load(c.id()).orElseThrow(() -> PelagosException.notFound("no such container: " + c.name(), null));
    }

    private static void sleep(Duration d) throws PelagosException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PelagosException(ErrorKind.INTERNAL, "interrupted", null);
        }
    }
}
