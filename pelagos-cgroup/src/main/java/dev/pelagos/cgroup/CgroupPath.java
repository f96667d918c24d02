package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A cgroup's place in a hierarchy, relative to the hierarchy's root (never to the caller's own
 * cgroup, which on some hosts belongs to a supervisor). Written with slashes: {@code pelagos/3f2a}.
 */
public record CgroupPath(List<String> segments) {
    /** Where containers go unless {@code --cgroup-parent} says otherwise. */
    public static final String DEFAULT_PARENT = "pelagos";

    public CgroupPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a cgroup path needs at least one name");
        }
        for (String s : segments) {
            if (problem(s) != null) {
                throw new IllegalArgumentException(problem(s));
            }
        }
    }

    /** Parses {@code a/b/c}; a leading slash is allowed and means the same (the hierarchy root). */
    public static CgroupPath parse(String text) throws PelagosException {
        Objects.requireNonNull(text, "text");
        String s = text.startsWith("/") ? text.substring(1) : text;
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        List<String> parts = new ArrayList<>();
        for (String part : s.split("/", -1)) {
            String why = problem(part);
            if (why != null) {
                throw PelagosException.invalid("invalid cgroup path '" + text + "': " + why,
                        "use names separated by '/', e.g. pelagos/web");
            }
            parts.add(part);
        }
        return new CgroupPath(parts);
    }

    /** {@code <parent>/<containerId>}; parent is {@code --cgroup-parent} or null for the default. */
    public static CgroupPath forContainer(String cgroupParent, String containerId) throws PelagosException {
        String parent = cgroupParent == null || cgroupParent.isBlank() ? DEFAULT_PARENT : cgroupParent.strip();
        CgroupPath p = parse(parent);
        String why = problem(containerId);
        if (why != null) {
            throw PelagosException.invalid("invalid container id '" + containerId + "' for a cgroup name: " + why);
        }
        List<String> all = new ArrayList<>(p.segments);
        all.add(containerId);
        return new CgroupPath(all);
    }

    private static String problem(String segment) {
        if (segment.isEmpty()) {
            return "it has an empty name";
        }
        if (segment.equals(".") || segment.equals("..")) {
            return "'" + segment + "' is not allowed";
        }
        if (segment.length() > 255) {
            return "a name is longer than 255 characters";
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/') {
                return "a name contains a control character";
            }
        }
        return null;
    }

    /** This path under a hierarchy's mount point. */
    public Path under(Path hierarchyRoot) {
        Path p = hierarchyRoot;
        for (String s : segments) {
            p = p.resolve(s);
        }
        return p;
    }

    /** Number of names. */
    public int depth() {
        return segments.size();
    }

    /** The first {@code n} names as a path. */
    public CgroupPath prefix(int n) {
        return new CgroupPath(segments.subList(0, n));
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }
}
