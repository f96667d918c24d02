package dev.pelagos.cli;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.UsageException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Entry point. Parses global flags, finds the verb, runs it, and is the one place that prints
 * errors ({@code pelagos: error: ...} plus an optional {@code hint: ...}).
 */
public final class Main {
    public static final String VERSION = "0.1.0";

    private Main() {
    }

    public static void main(String[] argv) {
        dev.pelagos.base.StartupTrace.mark("main");
        Cli cli = new Cli(System.out, System.err);
        int code = run(List.of(argv), cli);
        System.out.flush();
        System.err.flush();
        // halt, not exit: there are no shutdown hooks to run, and Runtime.exit first asks the
        // logging framework whether to log the exit, which costs a fresh JVM milliseconds per verb
        Runtime.getRuntime().halt(code);
    }

    /** Runs one command line and returns the exit code; never exits the JVM (tests call this). */
    public static int run(List<String> argv, Cli cli) {
        GlobalFlags globals = new GlobalFlags();
        Command command = null;
        String fullName = "pelagos";
        boolean debug = false;
        try {
            List<String> rest = globals.parse(argv);
            debug = globals.debug;
            CliLoggerFinder.configure(cli.err(), globals.log, globals.logFormat, debug);
            if (debug) {
                System.setProperty(dev.pelagos.base.DebugLog.PROPERTY, "true");
            } else {
                System.clearProperty(dev.pelagos.base.DebugLog.PROPERTY);
            }
            if (globals.version) {
                cli.out().print(versionText());
                return 0;
            }
            if (rest.isEmpty() || globals.help) {
                cli.out().print(Commands.listing());
                return rest.isEmpty() && !globals.help ? 2 : 0;
            }
            String name = rest.getFirst();
            Supplier<Command> found = dev.pelagos.cli.oci.OciRouting.lookup(name, rest.subList(1, rest.size()), globals.root,
                    Program.isOciRuntime());
            if (found == null) {
                found = Commands.lookup(name);
            }
            if (found == null) {
                if (rest.contains("-h") || rest.contains("--help")) {
                    // runc's (urfave/cli's) wording, which wrappers of an OCI runtime look for
                    throw new UsageException("No help topic for '" + name + "'", "see 'pelagos --help' for the commands");
                }
                throw new UsageException("unknown command '" + name + "'", "see 'pelagos --help'");
            }
            dev.pelagos.base.StartupTrace.mark("verb found");
            command = found.get();
            dev.pelagos.base.StartupTrace.mark("verb made");
            fullName = Program.name() + " " + name;
            rest = rest.subList(1, rest.size());
            while (command instanceof CommandGroup group) {
                if (rest.isEmpty() || rest.getFirst().equals("--help") || rest.getFirst().equals("-h")) {
                    cli.out().print(group.listing(fullName));
                    return rest.isEmpty() ? 2 : 0;
                }
                Supplier<Command> sub = group.sub(rest.getFirst());
                if (sub == null) {
                    throw group.unknown(fullName, rest.getFirst());
                }
                fullName = fullName + " " + rest.getFirst();
                command = sub.get();
                rest = rest.subList(1, rest.size());
            }
            dev.pelagos.cli.args.Options options = command.options();
            if (wantsHelp(rest, options)) {
                cli.out().print(Help.forCommand(fullName, command));
                return 0;
            }
            globals.applyTo(cli);
            Args args = Args.parse(fullName, options, rest);
            dev.pelagos.base.StartupTrace.mark("arguments parsed");
            return command.run(args, cli);
        } catch (UsageException e) {
            printError(cli.err(), e, debug);
            dev.pelagos.cli.oci.OciLog.write(globals.log, globals.logFormat, "error", e.getMessage());
            return 2;
        } catch (PelagosException e) {
            printError(cli.err(), e, debug);
            dev.pelagos.cli.oci.OciLog.write(globals.log, globals.logFormat, "error", e.getMessage());
            return command == null ? 1 : command.failureExitCode();
        } catch (RuntimeException e) {
            cli.err().println("pelagos: error: internal error: " + e);
            dev.pelagos.cli.oci.OciLog.write(globals.log, globals.logFormat, "error", "internal error: " + e);
            if (debug) {
                e.printStackTrace(cli.err());
            } else {
                cli.err().println("hint: this is a bug; run again with --debug for the stack trace and report it");
            }
            return command == null ? 1 : command.failureExitCode();
        }
    }

    /**
     * runc's layout, which wrappers parse (Docker's and Podman's "info"): the name this program was
     * called by, the version, the commit it was built from, the runtime-spec version it implements.
     */
    static String versionText() {
        String program = Program.name();
        String commit = "";
        String home = System.getProperty("pelagos.home");
        if (home != null) {
            try {
                commit = java.nio.file.Files.readString(java.nio.file.Path.of(home, "lib/commit")).strip();
            } catch (java.io.IOException e) {
                // not built from a git checkout
            }
        }
        return program + " version " + VERSION + "\ncommit: " + (commit.isEmpty() ? "unknown" : commit) + "\nspec: "
                + dev.pelagos.runtime.oci.OciStateJson.OCI_VERSION + "\n";
    }

    private static boolean wantsHelp(List<String> rest, dev.pelagos.cli.args.Options options) {
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--help") || a.equals("-h") && !options.has("-h")) {
                return true; // -h too, as with Docker and runc, unless the verb means something else by it
            }
            if (a.startsWith("-") && !a.contains("=") && options.takesValue(a)) {
                i++; // skip the option's value: "--name web --help" is still a request for help
                continue;
            }
            if (!a.startsWith("-") && !options.optionsAnywhere()) {
                return false; // the rest is the container's command line
            }
        }
        return false;
    }

    static void printError(PrintStream err, PelagosException e, boolean debug) {
        err.println("pelagos: error: " + e.getMessage());
        if (e.hint() != null) {
            err.println("hint: " + e.hint());
        }
        if (debug) {
            e.printStackTrace(err);
        }
    }

    /** Flags that come before the verb; the OCI ones match runc's global flags (DECISIONS §A9). */
    static final class GlobalFlags {
        boolean debug;
        boolean version;
        boolean help;
        boolean systemdCgroup;
        String root;
        String log;
        String logFormat = "text";
        String criu;

        List<String> parse(List<String> argv) throws UsageException {
            int i = 0;
            while (i < argv.size() && argv.get(i).startsWith("-")) {
                String a = argv.get(i);
                String v = null;
                int eq = a.indexOf('=');
                String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
                if (eq > 0 && a.startsWith("--")) {
                    v = a.substring(eq + 1);
                }
                switch (name) {
                    case "--debug" -> debug = true;
                    case "--version", "-v" -> version = true;
                    case "--help", "-h" -> help = true;
                    case "--systemd-cgroup" -> systemdCgroup = true;
                    case "--root", "--log", "--log-format", "--criu", "--rootless" -> {
                        if (v == null) {
                            if (i + 1 >= argv.size()) {
                                throw new UsageException("option '" + name + "' needs a value", "see 'pelagos --help'");
                            }
                            v = argv.get(++i);
                        }
                        switch (name) {
                            case "--root" -> root = v;
                            case "--log" -> log = v;
                            case "--log-format" -> logFormat = v;
                            case "--criu" -> criu = v;
                            default -> { }
                        }
                    }
                    default -> throw new UsageException("unknown global option '" + a + "'", "see 'pelagos --help'");
                }
                i++;
            }
            return new ArrayList<>(argv.subList(i, argv.size()));
        }

        void applyTo(Cli cli) {
            cli.setGlobals(root, log, logFormat, systemdCgroup, debug, criu);
        }
    }
}
