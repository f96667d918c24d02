package dev.pelagos.runtime.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Resolves a container path inside a root directory the way the kernel would inside the
 * container: {@code ..} stops at the root, absolute symlinks restart at the root. The result
 * never lies outside the root.
 */
public final class ConfinedPath {
    private static final int MAX_LINKS = 40;

    private ConfinedPath() {
    }

    /** The host path of {@code containerPath} under {@code root}, or empty when a component is missing. */
    public static Optional<Path> resolve(Path root, String containerPath) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, containerPath);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                done.pollLast();
                continue;
            }
            Path candidate = join(root, done).resolve(c);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links resolving " + containerPath);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            done.addLast(c);
        }
        return Optional.of(join(root, done));
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
