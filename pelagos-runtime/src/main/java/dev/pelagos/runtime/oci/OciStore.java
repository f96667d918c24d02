package dev.pelagos.runtime.oci;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The OCI state root ({@code --root}, default {@code <runtime>/oci}): one directory per container
 * id. A directory is claimed with an atomic mkdir, so two creates of one id cannot both win.
 */
public final class OciStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_+.-]{1,1024}");
    static final String STATE_FILE = "state.json";

    private final Path root;

    public OciStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public static void checkId(String id) throws PelagosException {
        if (id == null || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw PelagosException.invalid("invalid container id '" + id + "'",
                    "ids use letters, digits and _ + . - (not '.' or '..')");
        }
    }

    /** Claims {@code id}: its directory is created, or the id is taken. */
    public Path claim(String id) throws PelagosException {
        checkId(id);
        try {
            Files.createDirectories(root);
            Path dir = root.resolve(id);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            } catch (FileAlreadyExistsException e) {
                OciContainer old = loadOrNull(id);
                boolean orphan = old == null && Files.getLastModifiedTime(dir).toMillis() < System.currentTimeMillis() - 10_000;
                if (orphan || (old != null && old.pid() == 0 && old.status() == OciStatus.STOPPED)) {
                    remove(id); // a create that died half-way: nothing of it is trustworthy
                    return claim(id);
                }
                throw PelagosException.conflict("container '" + id + "' already exists",
                        "run 'pelagos delete " + id + "' first, or choose another id");
            }
            return dir;
        } catch (IOException e) {
            throw PelagosException.io("create the state directory of container " + id, e);
        }
    }

    public void save(Path dir, OciRecord r) throws PelagosException {
        try {
            AtomicFiles.write(dir.resolve(STATE_FILE), OciRecordJson.write(r));
        } catch (IOException e) {
            throw PelagosException.io("write the state of container " + r.id(), e);
        }
    }

    public OciContainer load(String id) throws PelagosException {
        checkId(id);
        OciContainer c = loadOrNull(id);
        if (c == null) {
            throw PelagosException.notFound("container '" + id + "' does not exist",
                    "'pelagos list' shows the containers under " + root);
        }
        return c;
    }

    /** True when {@code id} names a container here (cheap: used to route Docker-style verbs). */
    public boolean exists(String id) {
        return id != null && ID.matcher(id).matches() && Files.isRegularFile(root.resolve(id).resolve(STATE_FILE));
    }

    public OciContainer loadOrNull(String id) throws PelagosException {
        Path dir = root.resolve(id);
        String json;
        try {
            json = Files.readString(dir.resolve(STATE_FILE));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw PelagosException.io("read the state of container " + id, e);
        }
        OciRecord r = OciRecordJson.read(json, "the state of container " + id);
        long[] pid = OciContainer.readPid(dir);
        return new OciContainer(r, dir, (int) pid[0], pid[1]);
    }

    public List<OciContainer> list() throws PelagosException {
        List<OciContainer> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String id = p.getFileName().toString();
                if (ID.matcher(id).matches() && Files.isDirectory(p)) {
                    OciContainer c = loadOrNull(id);
                    if (c != null) {
                        out.add(c);
                    }
                }
            }
        } catch (IOException e) {
            throw PelagosException.io("list " + root, e);
        }
        out.sort(Comparator.comparingLong(c -> c.record().createdMs()));
        return out;
    }

    /** Removes a container's directory and everything in it. */
    public void remove(String id) throws PelagosException {
        Path dir = root.resolve(id);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw PelagosException.io("remove the state of container " + id, e);
        }
    }
}
