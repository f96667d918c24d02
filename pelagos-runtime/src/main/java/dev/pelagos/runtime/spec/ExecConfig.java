package dev.pelagos.runtime.spec;

import java.util.List;

/**
 * A process to run in a running container ({@code pelagos exec}).
 *
 * @param user    "uid[:gid]" or names (resolved in the container), or null for the container's user
 * @param workdir or null for the container's
 */
public record ExecConfig(List<String> args, List<String> env, String workdir, String user, boolean tty,
        boolean interactive, boolean detach, boolean privileged) {
    public ExecConfig {
        args = List.copyOf(args);
        env = List.copyOf(env);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
    }
}
