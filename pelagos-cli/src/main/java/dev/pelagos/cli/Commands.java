package dev.pelagos.cli;

import java.util.function.Supplier;

/**
 * The verb table. A {@code switch} rather than a map of instances so that starting one verb loads
 * only that verb's classes (start-up time is a feature, DECISIONS §B). To add a verb: one case in
 * {@link #lookup} and one row in {@link #LIST}.
 */
final class Commands {
    private Commands() {
    }

    /** Verb name and one-line summary, in the order {@code --help} lists them. */
    private static final String[][] LIST = {
        {"run", "Create and run a container"},
        {"exec", "Run a command in a running container"},
        {"ps", "List containers"},
        {"logs", "Print a container's output"},
        {"stop", "Stop running containers"},
        {"start", "Start a stopped container"},
        {"restart", "Restart a container"},
        {"kill", "Send a signal to running containers"},
        {"rm", "Remove containers"},
        {"wait", "Wait for containers to exit"},
        {"inspect", "Show a container's state and configuration"},
        {"stats", "Show containers' resource use"},
        {"port", "List a container's published ports"},
        {"container", "Manage containers (ls, inspect, stop, rm, logs, ...)"},
        {"image", "Manage images (pull, push, ls, rm, save, load, ...)"},
        {"volume", "Manage named volumes"},
        {"network", "Manage bridge networks"},
        {"cleanup", "Remove what crashed containers left behind"},
        {"system", "Disk use and pruning of everything (df, prune)"},
        {"rootfs", "Manage named root filesystem directories"},
        {"lisp", "Run a Lisp program, evaluate an expression, or start a REPL"},
        {"info", "Show the kernel features and cgroup driver in use"},
        {"create", "OCI: create a container from a bundle"},
        {"state", "OCI: print a container's state"},
        {"delete", "OCI: delete a container"},
        {"pause", "OCI: suspend a container's processes"},
        {"resume", "OCI: resume a paused container"},
        {"list", "OCI: list containers"},
        {"features", "OCI: print the supported features"},
        {"spec", "OCI: write a starter config.json"},
        {"update", "OCI: change a container's resource limits"},
        {"events", "OCI: print a container's stats and OOM events"},
        {"checkpoint", "OCI: checkpoint a running container (with CRIU)"},
        {"restore", "OCI: restore a container from a checkpoint (with CRIU)"},
    };

    static Supplier<Command> lookup(String name) {
        return switch (name) {
            case "run" -> dev.pelagos.cli.container.RunCommand::new;
            case "exec" -> dev.pelagos.cli.container.ExecCommand::new;
            case "ps" -> dev.pelagos.cli.container.PsCommand::new;
            case "logs" -> dev.pelagos.cli.container.LogsCommand::new;
            case "stop" -> dev.pelagos.cli.container.LifecycleCommands.Stop::new;
            case "start" -> dev.pelagos.cli.container.LifecycleCommands.Start::new;
            case "restart" -> dev.pelagos.cli.container.LifecycleCommands.Restart::new;
            case "kill" -> dev.pelagos.cli.container.LifecycleCommands.Kill::new;
            case "rm" -> dev.pelagos.cli.container.LifecycleCommands.Rm::new;
            case "wait" -> dev.pelagos.cli.container.LifecycleCommands.Wait::new;
            case "inspect" -> dev.pelagos.cli.container.InspectCommand::new;
            case "stats" -> dev.pelagos.cli.container.StatsCommand::new;
            case "port" -> dev.pelagos.cli.container.PortCommand::new;
            case "container" -> dev.pelagos.cli.container.ContainerGroup::group;
            case "image" -> dev.pelagos.cli.image.ImageCommands::group;
            case "volume" -> dev.pelagos.cli.volume.VolumeCommands::group;
            case "network" -> dev.pelagos.cli.network.NetworkCommands::group;
            case "cleanup" -> dev.pelagos.cli.container.CleanupCommands.Stale::new;
            case "system" -> dev.pelagos.cli.system.SystemCommands::group;
            case "rootfs" -> dev.pelagos.cli.rootfs.RootfsCommands::group;
            case "lisp" -> dev.pelagos.cli.lisp.LispCommand::new;
            case "info" -> dev.pelagos.cli.info.InfoCommand::new;
            case "create" -> dev.pelagos.cli.oci.CreateCommand::new;
            case "state" -> dev.pelagos.cli.oci.LifecycleVerbs.State::new;
            case "delete" -> dev.pelagos.cli.oci.LifecycleVerbs.Delete::new;
            case "pause" -> dev.pelagos.cli.oci.LifecycleVerbs.Pause::new;
            case "resume" -> dev.pelagos.cli.oci.LifecycleVerbs.Resume::new;
            case "list" -> dev.pelagos.cli.oci.InfoVerbs.ListCommand::new;
            case "features" -> dev.pelagos.cli.oci.InfoVerbs.Features::new;
            case "spec" -> dev.pelagos.cli.oci.InfoVerbs.Spec::new;
            case "update" -> dev.pelagos.cli.oci.UpdateCommand::new;
            case "events" -> dev.pelagos.cli.oci.EventsCommand::new;
            case "checkpoint" -> dev.pelagos.cli.oci.CheckpointCommand::new;
            case "restore" -> dev.pelagos.cli.oci.RestoreCommand::new;
            default -> null;
        };
    }

    /** The verbs of the OCI runtime interface, listed when the program answers as runc. */
    private static final String[][] OCI_LIST = {
        {"checkpoint", "checkpoint a running container (with CRIU)"},
        {"create", "create a container from a bundle"},
        {"delete", "delete a container and what it holds"},
        {"events", "print a container's stats and OOM events"},
        {"exec", "run a new process inside a container"},
        {"features", "print the features this runtime supports"},
        {"kill", "send a signal to a container's init process"},
        {"list", "list the containers under the state root"},
        {"pause", "suspend all processes of a container"},
        {"ps", "list the processes of a container"},
        {"restore", "restore a container from a checkpoint (with CRIU)"},
        {"resume", "resume all processes of a paused container"},
        {"run", "create and start a container"},
        {"spec", "write a starter config.json"},
        {"start", "start a created container"},
        {"state", "print a container's state"},
        {"update", "change a container's resource limits"},
    };

    static String listing() {
        if (Program.isOciRuntime()) {
            return ociListing();
        }
        StringBuilder sb = new StringBuilder("""
                Usage: pelagos [GLOBAL OPTIONS] COMMAND [ARG...]

                A fast, daemonless Linux container runtime.

                Commands:
                """);
        for (String[] row : LIST) {
            sb.append("  ").append(row[0]).append(" ".repeat(Math.max(2, 12 - row[0].length()))).append(row[1]).append('\n');
        }
        sb.append("""

                Global options:
                  --criu PATH          the CRIU binary for checkpoint and restore
                  --debug              print stack traces with errors
                  --root DIR           state directory for the OCI runtime commands
                  --log FILE           write the OCI runtime log to FILE
                  --log-format FORMAT  text or json
                  --version            print the version

                Run 'pelagos COMMAND --help' for more on a command.
                """);
        return sb.toString();
    }

    /** runc's (urfave/cli's) layout, which tools that call an OCI runtime "runc" may read. */
    private static String ociListing() {
        String name = Program.name();
        StringBuilder sb = new StringBuilder("NAME:\n   " + name + " - Open Container Initiative runtime (Pelagos "
                + Main.VERSION + ")\n\nUSAGE:\n   " + name + " [global options] command [command options] [arguments...]\n\nCOMMANDS:\n");
        for (String[] row : OCI_LIST) {
            sb.append("   ").append(row[0]).append(" ".repeat(Math.max(2, 12 - row[0].length()))).append(row[1]).append('\n');
        }
        sb.append("""

                GLOBAL OPTIONS:
                   --debug             enable debug logging
                   --log value         write the runtime log to this file (default: stderr)
                   --log-format value  text or json (default: "text")
                   --root value        the directory of container state
                   --criu value        the CRIU binary for checkpoint and restore (default: "criu")
                   --systemd-cgroup    take cgroupsPath as systemd's "slice:prefix:name"
                   --help, -h          show help
                   --version, -v       print the version
                """);
        return sb.toString();
    }
}
