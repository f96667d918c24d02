package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cgroup.SubCgroups;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.runtime.oci.OciConfig;
import dev.pelagos.runtime.oci.OciContainer;
import dev.pelagos.runtime.oci.OciExec;
import dev.pelagos.runtime.oci.OciRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pelagos exec} on an OCI container, runc's flags: {@code --process FILE} (what containerd
 * and conmon send) or a command with {@code --cwd/--env/--user/--cap/-t}; {@code --detach} returns
 * once it runs, leaving it to the caller's subreaper.
 */
public final class ExecCommand implements Command {
    @Override
    public Options options() {
        return new Options()
                .value("-p, --process", "FILE", "an OCI process object (JSON) describing what to run")
                .flag("-d, --detach", "return once the process runs")
                .value("--pid-file", "FILE", "write the process's pid to FILE")
                .value("--console-socket", "SOCKET", "unix socket that receives the terminal's master fd")
                .flag("-t, --tty", "allocate a pseudo-terminal")
                .value("--cwd", "DIR", "working directory inside the container")
                .list("-e, --env", "KEY=VALUE", "set an environment variable")
                .value("-u, --user", "UID[:GID]", "user to run as")
                .list("-g, --additional-gids", "GID", "an additional group")
                .list("-c, --cap", "CAP", "add a capability")
                .flag("--no-new-privs", "set no_new_privileges")
                .hidden("--process-label", "LABEL")
                .hidden("--apparmor", "PROFILE")
                .value("--preserve-fds", "N", "pass N extra file descriptors (3..3+N-1) to the process")
                .list("--cgroup", "[CTRL[,CTRL]:]PATH", "run in this sub-cgroup of the container's cgroup (for those controllers)")
                .flag("--ignore-paused", "exec even when the container is paused")
                .stopAtFirstPositional();
    }

    @Override
    public String usage() {
        return "[OPTIONS] ID [COMMAND [ARG...]]";
    }

    @Override
    public String summary() {
        return "Run a process in an OCI container";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        OciRuntime rt = OciContext.runtime(cli);
        OciConfig.Process p;
        boolean capsGiven;
        if (a.has("process")) {
            p = OciExec.readProcess(Path.of(a.get("process")));
            capsGiven = p.capabilities() != null;
        } else {
            if (a.positionals().size() < 2) {
                throw new UsageException("'pelagos exec' needs a COMMAND or --process FILE", "see 'pelagos exec --help'");
            }
            OciContainer c = rt.find(id);
            p = fromFlags(a, c);
            capsGiven = p.capabilities() != null;
        }
        OciExec.Options o = new OciExec.Options(a.has("detach"), CreateCommand.path(a.get("pid-file")),
                CreateCommand.path(a.get("console-socket")), CreateCommand.runtimeLog(cli),
                preserveFds(a), a.has("ignore-paused"), SubCgroups.parse(a.all("cgroup")));
        cli.out().flush();
        rt.helper().become(OciExec.plan(rt, id, p, capsGiven, o));
        return 1;
    }

    /** runc's exit code for an exec that fails before the process runs. */
    @Override
    public int failureExitCode() {
        return 255;
    }

    private static int preserveFds(Args a) throws UsageException {
        String v = a.get("preserve-fds");
        if (v == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("invalid --preserve-fds '" + v + "': expected a count", null);
    }

    private static OciConfig.Process fromFlags(Args a, OciContainer c) throws PelagosException {
        OciConfig.Process d = OciExec.defaults(c);
        Map<String, String> env = new LinkedHashMap<>();
        for (List<String> src : List.of(d.env() == null ? List.<String>of() : d.env(), a.all("env"))) {
            for (String kv : src) {
                int eq = kv.indexOf('=');
                env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        OciConfig.User u = d.user();
        if (a.has("user")) {
            String[] ug = a.get("user").split(":", 2);
            try {
                u = new OciConfig.User(Long.parseLong(ug[0]), ug.length > 1 ? Long.parseLong(ug[1]) : 0L, null, List.of(), null);
            } catch (NumberFormatException e) {
                throw new UsageException("invalid --user '" + a.get("user") + "': expected UID[:GID] as numbers", null);
            }
        }
        if (!a.all("additional-gids").isEmpty()) {
            List<Long> gids = new ArrayList<>();
            for (String g : a.all("additional-gids")) {
                try {
                    gids.add(Long.parseLong(g));
                } catch (NumberFormatException e) {
                    throw new UsageException("invalid --additional-gids '" + g + "': expected a number", null);
                }
            }
            u = new OciConfig.User(u.uid(), u.gid(), u.umask(), gids, null);
        }
        OciConfig.Capabilities caps = a.all("cap").isEmpty() ? null
                : OciExec.withAdded(c, a.all("cap"), u.uid() == null || u.uid() == 0);
        String cwd = a.get("cwd", d.cwd());
        return new OciConfig.Process(a.has("tty"), null, u, a.positionals().subList(1, a.positionals().size()), null, envList,
                cwd, caps, null, a.has("no-new-privs") || Boolean.TRUE.equals(d.noNewPrivileges()), null, null, null, null);
    }
}
