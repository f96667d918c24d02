package dev.pelagos.runtime.rootfs;

import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Named root filesystems: {@code <data>/rootfs/NAME} is a symlink to a directory on the host
 * (REFERENCE §1.2 {@code rootfs import|ls|rm}).
 */
public final class RootfsStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** One entry for {@code rootfs ls}. */
    public record Entry(String name, Path path) {
    }

    private final Path dir;

    public RootfsStore(Path dir) {
        this.dir = dir;
    }

    public Path importDir(String name, Path path) throws PelagosException {
        if (!NAME.matcher(name).matches()) {
            throw PelagosException.invalid("invalid rootfs name '" + name + "'",
                    "use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        Path target;
        try {
            target = path.toRealPath();
        } catch (IOException e) {
            throw PelagosException.notFound("rootfs path '" + path + "' does not exist", "give an existing directory");
        }
        if (!Files.isDirectory(target)) {
            throw PelagosException.invalid("rootfs path '" + path + "' is not a directory", "give a directory holding a root filesystem");
        }
        try {
            Files.createDirectories(dir);
            Path link = dir.resolve(name);
            Path tmp = dir.resolve("." + name + ".tmp-" + ProcessHandle.current().pid());
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, target);
            Files.move(tmp, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw PelagosException.io("import rootfs " + name, e);
        }
    }

    public List<Entry> list() throws PelagosException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isSymbolicLink(p) && !p.getFileName().toString().startsWith(".")) {
                    out.add(new Entry(p.getFileName().toString(), Files.readSymbolicLink(p)));
                }
            }
        } catch (IOException e) {
            throw PelagosException.io("list " + dir, e);
        }
        return out;
    }

    public void remove(String name) throws PelagosException {
        Path link = dir.resolve(name);
        if (!NAME.matcher(name).matches() || !Files.isSymbolicLink(link)) {
            throw PelagosException.notFound("rootfs '" + name + "' not found", "see 'pelagos rootfs ls'");
        }
        try {
            Files.delete(link);
        } catch (IOException e) {
            throw PelagosException.io("remove rootfs " + name, e);
        }
    }

    /**
     * A {@code --rootfs} value: a directory path (anything containing '/', or '.') or an imported name.
     */
    public Path resolve(String nameOrPath) throws PelagosException {
        boolean isPath = nameOrPath.contains("/") || nameOrPath.startsWith(".");
        Path p = isPath ? Path.of(nameOrPath) : dir.resolve(nameOrPath);
        if (!isPath && !NAME.matcher(nameOrPath).matches()) {
            p = Path.of(nameOrPath);
        }
        try {
            Path real = p.toRealPath();
            if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                return real;
            }
        } catch (IOException e) {
            // reported below
        }
        throw PelagosException.notFound("rootfs '" + nameOrPath + "' not found",
                "give a directory, or import one first: pelagos rootfs import NAME /path/to/rootfs");
    }
}
