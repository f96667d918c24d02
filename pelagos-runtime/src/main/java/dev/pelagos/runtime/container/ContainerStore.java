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
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

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
    public Path create(ContainerId id, String name) throws PelagosException {
        try {
            Files.createDirectories(names);
            Files.createDirectories(containers);
            Path entry = nameEntry(name);
            try {
                Files.writeString(entry, id.value(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                String holder = readName(entry).orElse("");
                if (ContainerId.isValid(holder) && Files.isDirectory(containers.resolve(holder))) {
                    throw new PelagosException(ErrorKind.CONFLICT,
                            "container name '" + name + "' is already in use by container " + holder.substring(0, 12),
                            "remove that container (pelagos rm " + name + ") or choose another --name");
                }
                AtomicFiles.write(entry, id.value());
            }
            Path dir = stateDir(id);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            return dir;
        } catch (IOException e) {
            throw PelagosException.io("create the state of container " + name, e);
        }
    }

    public void writeRecord(Path stateDir, ContainerRecord record) throws PelagosException {
        try {
            AtomicFiles.write(stateDir.resolve("config.json"), GSON.toJson(record));
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

    private static Optional<String> readName(Path entry) throws IOException {
        try {
            return Optional.of(Files.readString(entry, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
