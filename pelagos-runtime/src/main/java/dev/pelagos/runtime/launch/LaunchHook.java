package dev.pelagos.runtime.launch;

import java.util.List;
import java.util.Objects;

/**
 * An OCI hook the helper runs itself: a startContainer hook inside the container, or (for a run,
 * which has no Java process left to do it) a host-side one at its moment in the lifecycle.
 *
 * @param args argv as given, {@code args[0]} included (empty: the path alone)
 * @param env the hook's whole environment
 * @param timeoutSeconds 0 for none
 */
public record LaunchHook(SpecTag.HookPhase phase, String path, List<String> args, List<String> env, int timeoutSeconds) {
    public LaunchHook {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(path, "path");
        args = List.copyOf(args);
        env = List.copyOf(env);
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("a hook timeout cannot be negative: " + timeoutSeconds);
        }
    }
}
