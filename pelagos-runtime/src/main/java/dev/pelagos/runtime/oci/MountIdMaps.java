package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.MountIdMap;
import java.util.List;

/**
 * Idmapped bind mounts (runtime-spec 1.2 {@code mounts[].uidMappings}/{@code gidMappings} and the
 * {@code idmap}/{@code ridmap} options), as runc 1.2 reads them: only binds; explicit mappings come in
 * pairs and need no user namespace of the container's; the options alone borrow the container's
 * user namespace mapping (or the namespace it joins), and without one they are an error.
 */
final class MountIdMaps {
    /** The kernel takes at most this many lines in a uid_map or gid_map. */
    static final int MAX_EXTENTS = 340;
    private static final long ID_LIMIT = 0xFFFF_FFFFL;

    private MountIdMaps() {
    }

    private static boolean present(List<OciConfig.IdMapping> maps) {
        return maps != null && !maps.isEmpty();
    }

    /** Whether the mount asks for an id mapping at all. */
    static boolean requested(OciConfig.Mount m, MountOptions o) {
        return o.idmap() || present(m.uidMappings()) || present(m.gidMappings());
    }

    /** Checks mount {@code i}'s mapping request against the rest of the config. */
    static void validate(OciConfig c, int i, OciConfig.Mount m, MountOptions o) throws PelagosException {
        if (!requested(m, o)) {
            return;
        }
        String at = "mounts[" + i + "]";
        boolean explicit = present(m.uidMappings()) || present(m.gidMappings());
        String field = !explicit ? at + ".options" : present(m.uidMappings()) ? at + ".uidMappings" : at + ".gidMappings";
        if (!o.bind()) {
            throw ConfigValidator.bad(field, "idmapped mounts must be bind mounts (this one is of type '" + m.type() + "')",
                    "add \"bind\" or \"rbind\" to the mount's options, or remove its id mapping");
        }
        if (!newMountNamespace(c)) {
            // the helper maps a clone of the source and attaches it in the container's own namespace
            throw ConfigValidator.bad(field, "an idmapped mount needs a new mount namespace",
                    "add {\"type\": \"mount\"} (without a path) to linux.namespaces");
        }
        if (explicit) {
            if (!present(m.uidMappings())) {
                throw ConfigValidator.bad(at + ".uidMappings", "is required along with gidMappings",
                        "give the mount both uidMappings and gidMappings");
            }
            if (!present(m.gidMappings())) {
                throw ConfigValidator.bad(at + ".gidMappings", "is required along with uidMappings",
                        "give the mount both uidMappings and gidMappings");
            }
            check(at + ".uidMappings", m.uidMappings());
            check(at + ".gidMappings", m.gidMappings());
            return;
        }
        if (containerUsernsPath(c) == null && !containerMapped(c)) {
            throw ConfigValidator.bad(field, "'" + (o.idmapRecursive() ? "ridmap" : "idmap")
                    + "' without uidMappings and gidMappings takes the container's user namespace mapping, and the container has none",
                    "give the mount uidMappings and gidMappings, or the container a user namespace with mappings");
        }
    }

    /** One list of mappings: complete entries, sizes above zero, inside the 32-bit id space, no overlaps. */
    static void check(String field, List<OciConfig.IdMapping> maps) throws PelagosException {
        if (maps.size() > MAX_EXTENTS) {
            throw ConfigValidator.bad(field, "has " + maps.size() + " entries", "the kernel takes at most " + MAX_EXTENTS);
        }
        for (int j = 0; j < maps.size(); j++) {
            OciConfig.IdMapping e = maps.get(j);
            String f = field + "[" + j + "]";
            if (e == null || e.containerID() == null || e.hostID() == null || e.size() == null) {
                throw ConfigValidator.bad(f, "needs containerID, hostID and size", null);
            }
            if (e.size() <= 0) {
                throw ConfigValidator.bad(f + ".size", "must be greater than zero (got " + e.size() + ")", null);
            }
            rangeFits(f + ".containerID", e.containerID(), e.size());
            rangeFits(f + ".hostID", e.hostID(), e.size());
            for (int k = 0; k < j; k++) {
                OciConfig.IdMapping p = maps.get(k);
                if (overlap(p.containerID(), p.size(), e.containerID(), e.size())) {
                    throw ConfigValidator.bad(f, "overlaps " + field + "[" + k + "] in containerID", "each id may be mapped once");
                }
                if (overlap(p.hostID(), p.size(), e.hostID(), e.size())) {
                    throw ConfigValidator.bad(f, "overlaps " + field + "[" + k + "] in hostID", "each id may be mapped once");
                }
            }
        }
    }

    private static void rangeFits(String field, long first, long size) throws PelagosException {
        // the last id, 4294967295, is (uid_t)-1 and never mapped: first + size must stay below it
        if (first < 0 || first + size > ID_LIMIT) {
            throw ConfigValidator.bad(field, first + " with size " + size + " leaves the id range",
                    "ids are 0..4294967294: containerID/hostID + size must be at most 4294967295");
        }
    }

    private static boolean overlap(long a, long aSize, long b, long bSize) {
        return a < b + bSize && b < a + aSize;
    }

    /**
     * The mapping the helper applies, or null for a mount without one. The config is validated.
     */
    static MountIdMap plan(OciConfig c, OciConfig.Mount m, MountOptions o) {
        if (!requested(m, o)) {
            return null;
        }
        if (present(m.uidMappings())) {
            return new MountIdMap(text(m.uidMappings()), text(m.gidMappings()), null, o.idmapRecursive());
        }
        String path = containerUsernsPath(c);
        if (path != null) {
            return new MountIdMap(null, null, path, o.idmapRecursive());
        }
        return new MountIdMap(text(c.linux().uidMappings()), text(c.linux().gidMappings()), null, o.idmapRecursive());
    }

    /** "inside outside count" lines, as /proc/PID/uid_map takes them. */
    static String text(List<OciConfig.IdMapping> maps) {
        StringBuilder sb = new StringBuilder();
        for (OciConfig.IdMapping m : maps) {
            sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return sb.toString();
    }

    private static String containerUsernsPath(OciConfig c) {
        if (c.linux() == null || c.linux().namespaces() == null) {
            return null;
        }
        for (OciConfig.Namespace n : c.linux().namespaces()) {
            if ("user".equals(n.type()) && n.path() != null && !n.path().isEmpty()) {
                return n.path();
            }
        }
        return null;
    }

    private static boolean newMountNamespace(OciConfig c) {
        return c.linux() != null && c.linux().namespaces() != null && c.linux().namespaces().stream()
                .anyMatch(n -> "mount".equals(n.type()) && (n.path() == null || n.path().isEmpty()));
    }

    private static boolean containerMapped(OciConfig c) {
        OciConfig.Linux l = c.linux();
        boolean userns = l != null && l.namespaces() != null && l.namespaces().stream().anyMatch(n -> "user".equals(n.type()));
        return userns && present(l.uidMappings()) && present(l.gidMappings());
    }
}
