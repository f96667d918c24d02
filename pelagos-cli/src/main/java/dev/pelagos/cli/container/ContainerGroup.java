package dev.pelagos.cli.container;

import dev.pelagos.cli.CommandGroup;

/** {@code pelagos container ...}: the container verbs under one noun, as Docker has them. */
public final class ContainerGroup {
    private ContainerGroup() {
    }

    public static CommandGroup group() {
        return new CommandGroup("Manage containers")
                .add("run", "Create and run a container", RunCommand::new)
                .add("ls", "List containers", PsCommand::new)
                .add("inspect", "Show a container's state and configuration", InspectCommand::new)
                .add("logs", "Print a container's output", LogsCommand::new)
                .add("exec", "Run a command in a running container", ExecCommand::new)
                .add("stop", "Stop running containers", LifecycleCommands.Stop::new)
                .add("start", "Start a stopped container", LifecycleCommands.Start::new)
                .add("restart", "Restart a container", LifecycleCommands.Restart::new)
                .add("kill", "Send a signal to running containers", LifecycleCommands.Kill::new)
                .add("rm", "Remove containers", LifecycleCommands.Rm::new)
                .add("wait", "Wait for containers to exit", LifecycleCommands.Wait::new)
                .add("stats", "Show containers' resource use", StatsCommand::new)
                .add("port", "List a container's published ports", PortCommand::new)
                .add("prune", "Remove every stopped container", CleanupCommands.Prune::new)
                .alias("list", "ls")
                .alias("ps", "ls")
                .alias("remove", "rm");
    }
}
