package dev.pelagos.image.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves archive paths inside a root the way a chroot would: every hop is checked with lstat,
 * a symlink met on the way is re-rooted at the root (absolute targets) or followed relative to
 * where it sits, and {@code ..} is clamped at the root. The result is a chain of real directories
 * below the root, so whatever is then created there cannot land outside it.
 *
 * <p>Race-free only because the tree is private to one extraction (a temp dir no one else
 * writes); this is not a resolver for trees a container can change concurrently.
 */
final class ConfinedPath {
    private static final int MAX_SYMLINK_HOPS = 40;

    private final Path root;

    ConfinedPath(Path root) {
        this.root = root;
    }

    /**
     * Splits an archive entry name into components, dropping empty and {@code .} parts.
     * Returns null when a {@code ..} component appears: no honest layer needs one.
     */
    static List<String> components(String name) {
        List<String> out = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return null;
            }
            out.add(part);
        }
        return out;
    }

    /**
     * Returns the real directory for {@code dirComponents}, creating missing directories (mode
     * 0755) when {@code create} is set; null when a component is missing and not created.
     *
     * @throws NotADirectoryException when a component is a file or a symlink loop
     */
    Path directory(List<String> dirComponents, boolean create) throws IOException {
        Deque<String> todo = new ArrayDeque<>(dirComponents);
        List<String> resolved = new ArrayList<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.removeLast();
                }
                continue;
            }
            Path here = join(resolved).resolve(c);
            BasicFileAttributes a = attributes(here);
            if (a == null) {
                if (!create) {
                    return null;
                }
                Files.createDirectory(here);
                resolved.add(c);
            } else if (a.isDirectory()) {
                resolved.add(c);
            } else if (a.isSymbolicLink()) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new NotADirectoryException(here, "too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(here).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
            } else {
                throw new NotADirectoryException(here, "is not a directory");
            }
        }
        return join(resolved);
    }

    private Path join(List<String> components) {
        Path p = root;
        for (String c : components) {
            p = p.resolve(c);
        }
        return p;
    }

    static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** A path component that must be a directory is something else. */
    static final class NotADirectoryException extends IOException {
        private static final long serialVersionUID = 1L;

        NotADirectoryException(Path p, String why) {
            super(p + " " + why);
        }
    }
}
