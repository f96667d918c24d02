package dev.pelagos.runtime.container;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The containers' directory: {@code <runtime>/containers/<id>/} per container and
 * {@code <runtime>/names/<name>} (holding the id) so that names are claimed atomically.
 */
public final class ContainerStore {
    /** Only readers need Gson; creating a container (the start path) must not initialise it. */
    private static final class Json {
        static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    }

    private final Path containers;
    private final Path names;

    public ContainerStore(Path runtimeDir) {
        this.containers = runtimeDir.resolve("containers");
        this.names = runtimeDir.resolve("names");
    }

    public Path stateDir(ContainerId id) {
        return containers.resolve(id.value());
    }

    public Path nameEntry(String name) {
        return names.resolve(name);
    }

    /**
     * Claims the name and creates the state directory. A name still held by an existing
     * container is a conflict; one whose container is gone (a crash left it) is reclaimed.
     */
    @SuppressWarnings("try") // the lock is held for the block's duration; it needs no reference
    public Path create(ContainerId id, String name) throws PelagosException {
        try {
            Files.createDirectories(names);
            Files.createDirectories(containers);
            // the state dir first, so a name never points at an id without one
            Path dir = stateDir(id);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            try (dev.pelagos.base.FileLock lock = dev.pelagos.base.FileLock.acquire(names.resolve(".lock"))) {
                Path entry = nameEntry(name);
                Optional<String> holder = readName(entry);
                if (holder.isPresent() && ContainerId.isValid(holder.get()) && Files.isDirectory(containers.resolve(holder.get()))) {
                    Files.deleteIfExists(dir);
                    throw new PelagosException(ErrorKind.CONFLICT,
                            "container name '" + name + "' is already in use by container " + holder.get().substring(0, 12),
                            "remove that container (pelagos rm " + name + ") or choose another --name");
                }
                // free, or held by a container that is gone (a crash left the entry): claim it
                AtomicFiles.replace(entry, id.value());
            }
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw PelagosException.conflict("container id " + id + " already exists", null);
        } catch (IOException e) {
            throw PelagosException.io("create the state of container " + name, e);
        }
    }

    public void writeRecord(Path stateDir, ContainerRecord record) throws PelagosException {
        try {
            // the runtime dir is a tmpfs: atomic is what matters, an fsync buys nothing
            AtomicFiles.replace(stateDir.resolve("config.json"), dev.pelagos.base.JsonWriter.write(record.toJson(), true));
        } catch (IOException e) {
            throw PelagosException.io("write " + stateDir.resolve("config.json"), e);
        }
    }

    /** Removes a container's state and releases its name; used when a start fails. */
    public void discard(ContainerId id, String name) {
        try {
            Path dir = stateDir(id);
            if (Files.isDirectory(dir)) {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            if (readName(nameEntry(name)).filter(id.value()::equals).isPresent()) {
                Files.deleteIfExists(nameEntry(name));
            }
        } catch (IOException e) {
            System.getLogger(ContainerStore.class.getName()).log(System.Logger.Level.WARNING,
                    "could not discard the state of " + name + ": " + e.getMessage());
        }
    }

    /** Every container, newest first; entries that cannot be read (a crash mid-create) are skipped. */
    public java.util.List<Container> list() throws PelagosException {
        java.util.List<Container> out = new java.util.ArrayList<>();
        if (!Files.isDirectory(containers)) {
            return out;
        }
        try (var s = Files.list(containers)) {
            for (Path dir : s.toList()) {
                String id = dir.getFileName().toString();
                if (ContainerId.isValid(id)) {
                    load(new ContainerId(id)).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw PelagosException.io("list containers in " + containers, e);
        }
        out.sort(java.util.Comparator.comparing((Container c) -> c.record().created()).reversed());
        return out;
    }

    /**
     * The container as it is now, or empty when it does not exist. A container whose config.json is
     * corrupt or truncated (a crash, a full disk) still loads, with what can be known of it, so that
     * ps shows it and rm -f can remove it.
     */
    public Optional<Container> load(ContainerId id) {
        Path dir = stateDir(id);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        ContainerRecord r;
        try {
            r = Json.GSON.fromJson(Files.readString(dir.resolve("config.json"), StandardCharsets.UTF_8), ContainerRecord.class);
            if (r == null || !id.value().equals(r.id())) {
                r = unreadable(id, dir);
            }
        } catch (IOException | RuntimeException e) {
            r = unreadable(id, dir);
        }
        ContainerState st;
        ContainerStatus status;
        try {
            st = ContainerState.read(dir);
            status = statusOf(dir, st);
            if (status == ContainerStatus.DEAD && st.exitCode() == null) {
                // the monitor may have recorded the exit between our two reads: look once more
                st = ContainerState.read(dir);
                status = statusOf(dir, st);
            }
        } catch (IOException | RuntimeException e) {
            st = new ContainerState(0, 0, 0, 0, -1, null, 0, false, 0, null);
            status = ContainerStatus.DEAD;
        }
        if (status == ContainerStatus.DEAD && st.exitCode() == null && cgroupPopulated(r)) {
            // the state files say nothing useful, but processes still run in its cgroup: it runs
            status = ContainerStatus.RUNNING;
        }
        return Optional.of(new Container(r, st, status, dir));
    }

    private static boolean cgroupPopulated(ContainerRecord r) {
        if (r.cgroupPath() == null) {
            return false;
        }
        try {
            return !dev.pelagos.cgroup.CgroupDriver.detect().open(r.cgroupPath()).pids().isEmpty();
        } catch (PelagosException | RuntimeException e) {
            return false;
        }
    }

    /** The record written before a container's cgroup is made: enough for rm -f to find everything. */
    static ContainerRecord placeholder(ContainerId id, String name, String cgroupPath) {
        return new ContainerRecord(id.value(), name, Timestamps.now(), null, "(being created)",
                java.util.List.of(), java.util.List.of(), "/", null, null, java.util.List.of(), id.shortId(), false, false,
                false, true, 0, 0, "SIGTERM", java.util.List.of(), java.util.List.of(), java.util.List.of(), cgroupPath,
                java.util.Map.of(), java.util.Map.of());
    }

    /** What is known of a container whose config.json cannot be read: its id, its name, its default cgroup. */
    private ContainerRecord unreadable(ContainerId id, Path dir) {
        String name = id.shortId();
        try (var s = Files.list(names)) {
            for (Path entry : s.toList()) {
                if (readName(entry).filter(id.value()::equals).isPresent()) {
                    name = entry.getFileName().toString();
                }
            }
        } catch (IOException e) {
            // keep the short id as the name
        }
        String created;
        try {
            created = Files.getLastModifiedTime(dir).toInstant().toString();
        } catch (IOException e) {
            created = java.time.Instant.EPOCH.toString();
        }
        return new ContainerRecord(id.value(), name, created, null, "(state unreadable)", java.util.List.of(),
                java.util.List.of(), "/", null, null, java.util.List.of(), id.shortId(), false, false, false, true, 0, 0,
                "SIGTERM", java.util.List.of(), java.util.List.of(), java.util.List.of(), "pelagos/" + id.value(),
                java.util.Map.of(), java.util.Map.of());
    }

    private static ContainerStatus statusOf(Path dir, ContainerState st) {
        if (st.exitCode() != null) {
            return ContainerStatus.EXITED;
        }
        if (st.pid() > 0) {
            if (ProcessLiveness.isAlive(st.pid(), st.pidStartTime())) {
                return Files.exists(dir.resolve("paused")) ? ContainerStatus.PAUSED : ContainerStatus.RUNNING;
            }
            // the process is gone; its monitor may be writing the exit file right now
            return st.monitorStartTime() > 0 && ProcessLiveness.isAlive(st.monitorPid(), st.monitorStartTime())
                    ? ContainerStatus.RUNNING : ContainerStatus.DEAD;
        }
        long[] launcher = readLauncher(dir);
        return launcher[0] > 0 && launcher[1] > 0 && ProcessLiveness.isAlive((int) launcher[0], launcher[1])
                ? ContainerStatus.CREATED : ContainerStatus.DEAD;
    }

    /** {pid, start time} of the process starting the container, or zeros. */
    private static long[] readLauncher(Path dir) {
        try {
            String[] f = Files.readString(dir.resolve("launcher")).trim().split("\\s+");
            return new long[] {Long.parseLong(f[0]), f.length > 1 ? Long.parseLong(f[1]) : 0};
        } catch (IOException | NumberFormatException e) {
            return new long[] {0, 0};
        }
    }

    /** Records the process that is starting the container (it becomes the helper, keeping its PID). */
    public void writeLauncher(Path stateDir) throws PelagosException {
        try {
            // with its start time: a PID reused later by another process is not taken for it
            Files.writeString(stateDir.resolve("launcher"), ProcessHandle.current().pid() + " " + ProcessLiveness.selfStartTime());
        } catch (IOException e) {
            throw PelagosException.io("write " + stateDir.resolve("launcher"), e);
        }
    }

    /**
     * Finds a container by name, full id or unique id prefix, like Docker.
     */
    public Container find(String ref) throws PelagosException {
        if (ref.isEmpty() || ref.contains("/") || ref.startsWith(".")) {
            throw notFound(ref);
        }
        try {
            Optional<String> byName = readName(nameEntry(ref));
            if (byName.isPresent() && ContainerId.isValid(byName.get())) {
                Optional<Container> c = load(new ContainerId(byName.get()));
                if (c.isPresent()) {
                    return c.get();
                }
            }
        } catch (IOException e) {
            throw PelagosException.io("read the name " + ref, e);
        }
        if (ref.matches("[0-9a-f]{1,64}") && Files.isDirectory(containers)) {
            java.util.List<Path> hits;
            try (var s = Files.list(containers)) {
                hits = s.filter(p -> p.getFileName().toString().startsWith(ref)).toList();
            } catch (IOException e) {
                throw PelagosException.io("list containers", e);
            }
            if (hits.size() > 1) {
                throw PelagosException.invalid("container id prefix '" + ref + "' is ambiguous (" + hits.size() + " containers)",
                        "give more characters of the id, or the name");
            }
            if (hits.size() == 1) {
                Optional<Container> c = load(new ContainerId(hits.getFirst().getFileName().toString()));
                if (c.isPresent()) {
                    return c.get();
                }
            }
        }
        throw notFound(ref);
    }

    private static PelagosException notFound(String ref) {
        return PelagosException.notFound("no such container: " + ref, "see 'pelagos ps -a'");
    }

    private static Optional<String> readName(Path entry) throws IOException {
        try {
            return Optional.of(Files.readString(entry, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
