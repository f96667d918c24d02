package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where in a container's cgroup an extra process goes (OCI {@code exec --cgroup}): sub-cgroups
 * the container made itself, per controller or for all. Each path is relative to the
 * container's cgroup and stays inside it; "" is the container's cgroup itself.
 *
 * @param forAll       the path for every hierarchy no controller-specific entry names, or null
 * @param byController controller name (v1: "memory", "cpu", "name=systemd"...) to path
 */
public record SubCgroups(String forAll, Map<String, String> byController) {
    public static final SubCgroups NONE = new SubCgroups(null, Map.of());

    public SubCgroups {
        byController = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byController));
    }

    /**
     * Parses the {@code --cgroup} values: "PATH" (every controller) or "CTRL[,CTRL...]:PATH".
     * ".." anywhere, a controller named twice, or two paths for all are errors.
     */
    public static SubCgroups parse(List<String> specs) throws PelagosException {
        String all = null;
        Map<String, String> by = new LinkedHashMap<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            String path = relative(colon < 0 ? spec : spec.substring(colon + 1));
            if (colon < 0) {
                if (all != null) {
                    throw PelagosException.invalid("invalid --cgroup " + spec + ": a path for all controllers is already given",
                            "give one PATH, and CTRL:PATH for the controllers that differ");
                }
                all = path;
                continue;
            }
            for (String ctrl : spec.substring(0, colon).split(",", -1)) {
                if (ctrl.isBlank()) {
                    throw PelagosException.invalid("invalid --cgroup " + spec + ": empty controller name",
                            "use CTRL[,CTRL]:PATH, e.g. memory:sub or cpu,cpuacct:sub");
                }
                if (by.put(ctrl, path) != null) {
                    throw PelagosException.invalid("invalid --cgroup " + spec + ": controller " + ctrl + " is given twice",
                            "name each controller once");
                }
            }
        }
        return new SubCgroups(all, by);
    }

    /** The path without leading or trailing slashes; refused when it would leave the container's cgroup. */
    private static String relative(String path) throws PelagosException {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.equals("..")) {
                throw PelagosException.invalid("invalid --cgroup: " + path + " is not a sub cgroup path of the container's cgroup",
                        "give a path below the container's cgroup, e.g. sub or sub/deeper");
            }
            if (!s.isEmpty() && !s.equals(".")) {
                parts.add(s);
            }
        }
        return String.join("/", parts);
    }

    public boolean isEmpty() {
        return forAll == null && byController.isEmpty();
    }
}
