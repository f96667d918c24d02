package dev.pelagos.runtime.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's mounts that CRIU must be told about: those whose filesystem is also mounted on
 * the host (binds of host paths, even of a host tmpfs; /dev/null over masked files; cgroup
 * directories). The container's own instances (its proc, /dev tmpfs, devpts, mqueue) CRIU dumps
 * and makes afresh, and binds between them it follows itself; an outside source it cannot find,
 * so each is named as an external mount: on checkpoint by its path in the container, on restore
 * with the host path to bind there.
 */
final class CriuMounts {
    private CriuMounts() {
    }

    /** One line of /proc/PID/mountinfo, the fields used here. */
    record Entry(String device, String root, String mountPoint) {
        static Entry parse(String line) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                throw new IllegalArgumentException("not a mountinfo line: " + line);
            }
            return new Entry(f[2], unescape(f[3]), unescape(f[4]));
        }
    }

    /**
     * Container path to host path for each outside mount of the container, given its mountinfo
     * and ours (the host's): a mount's host path is where its filesystem is mounted on the host,
     * plus the part of it the bind shows.
     */
    static Map<String, String> external(List<String> containerMountinfo, List<String> hostMountinfo) {
        List<Entry> host = new ArrayList<>();
        for (String l : hostMountinfo) {
            host.add(Entry.parse(l));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : containerMountinfo) {
            Entry e = Entry.parse(l);
            if (e.mountPoint().equals("/")) {
                continue; // the root is restore's --root
            }
            String source = hostPath(e, host); // null: the container's own filesystem
            if (source != null) {
                out.put(e.mountPoint(), source);
            }
        }
        return out;
    }

    /** The host path showing {@code e}'s filesystem at {@code e.root()}, or null when the host has none. */
    private static String hostPath(Entry e, List<Entry> host) {
        Entry best = null;
        for (Entry h : host) {
            if (h.device().equals(e.device()) && isUnder(e.root(), h.root())
                    && (best == null || h.root().length() > best.root().length())) {
                best = h;
            }
        }
        if (best == null) {
            return null;
        }
        String rest = e.root().substring(best.root().equals("/") ? 0 : best.root().length());
        String base = best.mountPoint().equals("/") ? "" : best.mountPoint();
        return rest.isEmpty() || rest.equals("/") ? (base.isEmpty() ? "/" : base) : base + rest;
    }

    private static boolean isUnder(String path, String dir) {
        return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
