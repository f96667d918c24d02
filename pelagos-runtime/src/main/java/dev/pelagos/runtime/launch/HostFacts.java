package dev.pelagos.runtime.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host that change what a container can be given; read cheaply from /proc. */
public final class HostFacts {
    private HostFacts() {
    }

    /**
     * Our own capability bounding set: the most any container may get (on these machines it lacks
     * CAP_SYS_RESOURCE, so asking for "all" must mean "all of these").
     */
    public static long boundingSet() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the conservative answer
        }
        return dev.pelagos.runtime.spec.Capability.DEFAULT_MASK;
    }
}
