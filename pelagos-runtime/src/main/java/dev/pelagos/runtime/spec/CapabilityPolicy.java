package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.util.List;

/**
 * Works out a container's capability sets from the defaults and {@code --cap-add/--cap-drop}
 * (Docker's rules: drop ALL starts from nothing; add ALL grants everything this host allows).
 */
public final class CapabilityPolicy {
    private CapabilityPolicy() {
    }

    /**
     * @param hostBounding the capabilities this host lets us grant at all (our own bounding set;
     *                     on these machines CAP_SYS_RESOURCE is missing, so "all" means "all we have")
     */
    public static long effectiveMask(List<String> add, List<String> drop, boolean privileged, long hostBounding)
            throws PelagosException {
        if (privileged) {
            return hostBounding;
        }
        long drops = 0;
        boolean dropAll = false;
        for (String d : drop) {
            if (d.equalsIgnoreCase("ALL")) {
                dropAll = true;
            } else {
                drops |= Capability.parse(d).bit();
            }
        }
        long mask = dropAll ? 0 : Capability.DEFAULT_MASK & ~drops;
        for (String a : add) {
            if (a.equalsIgnoreCase("ALL")) {
                // Docker: add ALL grants everything except what is explicitly dropped
                mask = hostBounding & ~drops;
            } else {
                Capability c = Capability.parse(a);
                if ((hostBounding & c.bit()) == 0) {
                    throw PelagosException.invalid("cannot add capability " + c.name() + ": this host does not allow it",
                            "the host's bounding set lacks it (see CapBnd in /proc/self/status)");
                }
                mask |= c.bit();
            }
        }
        return mask & hostBounding;
    }
}
