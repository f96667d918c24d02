package dev.pelagos.cli.info;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.CgroupDriver;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.Main;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code pelagos info}: what this host offers containers (kernel, cgroup driver and controllers, seccomp). */
public final class InfoCommand implements Command {
    @Override
    public Options options() {
        return new Options().value("--format", "FORMAT", "table or json");
    }

    @Override
    public String usage() {
        return "[OPTIONS]";
    }

    @Override
    public String summary() {
        return "Show the kernel features and cgroup driver in use";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.atMost(0);
        OutputFormat format = OutputFormat.parse(a.get("format"));
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", Main.VERSION);
        info.put("kernel", firstLine(Path.of("/proc/sys/kernel/osrelease"), "unknown"));
        try {
            CgroupDriver cgroups = CgroupDriver.detect();
            info.put("cgroupVersion", Integer.toString(cgroups.version()));
            info.put("cgroupLayout", cgroups.layout());
            info.put("cgroupDriver", "cgroupfs");
            info.put("cgroupRoot", cgroups.root().toString());
            info.put("cgroupControllers", String.join(" ", cgroups.availableControllers()));
        } catch (PelagosException e) {
            info.put("cgroupVersion", "none");
            info.put("cgroupProblem", e.getMessage());
        }
        info.put("seccomp", seccomp());
        if (format == OutputFormat.JSON) {
            StringBuilder sb = new StringBuilder("{");
            info.forEach((k, v) -> sb.append(sb.length() > 1 ? ",\n  " : "\n  ").append(OutputFormat.quote(k)).append(": ")
                    .append(OutputFormat.quote(v)));
            cli.out().println(sb.append("\n}"));
            return 0;
        }
        cli.out().println("Version:            " + info.get("version"));
        cli.out().println("Kernel:             " + info.get("kernel"));
        if (info.containsKey("cgroupProblem")) {
            cli.out().println("Cgroups:            none (" + info.get("cgroupProblem") + ")");
        } else {
            cli.out().println("Cgroup version:     " + info.get("cgroupVersion") + " (" + info.get("cgroupLayout") + ")");
            cli.out().println("Cgroup driver:      " + info.get("cgroupDriver") + ", under " + info.get("cgroupRoot"));
            cli.out().println("Cgroup controllers: " + info.get("cgroupControllers"));
        }
        cli.out().println("Seccomp:            " + info.get("seccomp"));
        return 0;
    }

    /** "available" when the kernel reports a Seccomp line for this process (CONFIG_SECCOMP). */
    private static String seccomp() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Seccomp:")) {
                    return "available";
                }
            }
            return "not available (kernel without CONFIG_SECCOMP)";
        } catch (IOException e) {
            return "unknown (cannot read /proc/self/status)";
        }
    }

    private static String firstLine(Path file, String fallback) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return fallback;
        }
    }
}
