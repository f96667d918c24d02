package dev.pelagos.runtime.volume;

import com.google.gson.Gson;
import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.spec.VolumeName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Named volumes: {@code <data>/volumes/NAME/_data} holds the content (the layout Docker uses),
 * {@code volume.json} the metadata. A volume is kept until removed; one that a container uses
 * is only removed with force.
 */
public final class VolumeStore {
    private static final Gson GSON = new Gson();

    /** A volume as {@code volume ls/inspect} show it. */
    public record Volume(String name, Path mountpoint, String createdAt, Map<String, String> labels) {
    }

    private record Meta(String createdAt, Map<String, String> labels) {
    }

    private final Path dir;

    public VolumeStore(Path volumesDir) {
        this.dir = volumesDir;
    }

    /** Creates a volume (idempotent, like Docker); returns it. */
    public Volume create(String name, Map<String, String> labels) throws PelagosException {
        VolumeName.check(name);
        Path v = dir.resolve(name);
        try {
            Files.createDirectories(v.resolve("_data"));
            Path meta = v.resolve("volume.json");
            if (!Files.exists(meta)) {
                AtomicFiles.write(meta, GSON.toJson(new Meta(Instant.now().toString(), labels)));
            }
            return read(name).orElseThrow();
        } catch (IOException e) {
            throw PelagosException.io("create volume " + name, e);
        }
    }

    public java.util.Optional<Volume> read(String name) {
        Path v = dir.resolve(name);
        if (!Files.isDirectory(v.resolve("_data"))) {
            return java.util.Optional.empty();
        }
        Meta m = null;
        try {
            m = GSON.fromJson(Files.readString(v.resolve("volume.json")), Meta.class);
        } catch (IOException | RuntimeException e) {
            // created implicitly by a run (-v NAME:/path) before metadata existed: still a volume
        }
        return java.util.Optional.of(new Volume(name, v.resolve("_data"), m == null ? "" : m.createdAt(),
                m == null || m.labels() == null ? Map.of() : m.labels()));
    }

    public Volume get(String name) throws PelagosException {
        VolumeName.check(name);
        return read(name).orElseThrow(() -> PelagosException.notFound("no such volume: " + name, "see 'pelagos volume ls'"));
    }

    public List<Volume> list() throws PelagosException {
        List<Volume> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                read(p.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw PelagosException.io("list volumes", e);
        }
        return out;
    }

    /**
     * Removes a volume and its data; refuses when a container uses it unless {@code force}.
     *
     * @param users the names of the containers that mount it
     */
    public void remove(String name, boolean force, List<String> users) throws PelagosException {
        Volume v = get(name);
        if (!users.isEmpty() && !force) {
            throw new PelagosException(ErrorKind.CONFLICT, "volume " + name + " is in use by " + String.join(", ", users),
                    "remove those containers first, or use --force");
        }
        try (Stream<Path> s = Files.walk(v.mountpoint().getParent())) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw PelagosException.io("remove volume " + name, e);
        }
    }

    /** Removes every volume not in {@code inUse}; returns their names. */
    public List<String> prune(java.util.Set<String> inUse) throws PelagosException {
        List<String> removed = new ArrayList<>();
        for (Volume v : list()) {
            if (!inUse.contains(v.name())) {
                remove(v.name(), false, List.of());
                removed.add(v.name());
            }
        }
        return removed;
    }
}
