package dev.pelagos.cli.oci;

import dev.pelagos.cli.Command;
import dev.pelagos.runtime.oci.OciStore;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code start}, {@code kill}, {@code exec}, {@code ps} and {@code run} are both Docker-style and
 * OCI verbs. The OCI one is chosen when the id names a container in the OCI root, or (for
 * {@code run}) when a bundle or the global {@code --root} is given, or always when the program
 * answers as an OCI runtime (called as runc); otherwise null (Docker-style).
 */
public final class OciRouting {
    private static final Set<String> VALUE_FLAGS = Set.of("--process", "-p", "--pid-file", "--console-socket", "--cwd",
            "--env", "-e", "--user", "-u", "--additional-gids", "-g", "--cap", "-c", "--process-label", "--apparmor",
            "--preserve-fds", "--cgroup", "--format", "-f", "--bundle", "-b");

    private OciRouting() {
    }

    public static Supplier<Command> lookup(String verb, List<String> args, String globalRoot, boolean ociRuntime) {
        Supplier<Command> oci = switch (verb) {
            case "run" -> RunCommand::new;
            case "start" -> StartCommand::new;
            case "kill" -> KillCommand::new;
            case "exec" -> ExecCommand::new;
            case "ps" -> InfoVerbs.Ps::new;
            default -> null;
        };
        if (oci == null || ociRuntime) {
            return oci;
        }
        boolean isOci = verb.equals("run") ? globalRoot != null || hasBundle(args) : isOci(args, globalRoot);
        return isOci ? oci : null;
    }

    private static boolean hasBundle(List<String> args) {
        for (String a : args) {
            if (a.equals("--bundle") || a.equals("-b") || a.startsWith("--bundle=") || a.startsWith("-b=")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOci(List<String> args, String globalRoot) {
        String id = firstPositional(args);
        if (id == null) {
            return globalRoot != null;
        }
        return globalRoot != null || new OciStore(OciContext.root(null)).exists(id);
    }

    static String firstPositional(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                return i + 1 < args.size() ? args.get(i + 1) : null;
            }
            if (!a.startsWith("-")) {
                return a;
            }
            if (VALUE_FLAGS.contains(a)) {
                i++;
            }
        }
        return null;
    }
}
