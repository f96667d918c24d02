package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.runtime.oci.OciContainer;
import dev.pelagos.runtime.oci.OciStateJson;
import dev.pelagos.runtime.oci.OciStatus;
import dev.pelagos.runtime.oci.OciTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The read-only OCI verbs: ps, list, features, spec. */
public final class InfoVerbs {
    private InfoVerbs() {
    }

    /** {@code pelagos ps [--format table|json] ID}: the processes in the container. */
    public static final class Ps implements Command {
        @Override
        public Options options() {
            return new Options().value("-f, --format", "FORMAT", "table or json").stopAtFirstPositional();
        }

        @Override
        public String usage() {
            return "[--format table|json] ID [PS-OPTIONS...]";
        }

        @Override
        public String summary() {
            return "List the processes of an OCI container";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String id = a.required(0, "a container ID");
            String format = format(a);
            List<Long> pids = OciContext.runtime(cli).pids(id);
            if (format.equals("json")) {
                cli.out().println(pids.toString().replace(" ", ""));
                return 0;
            }
            // like runc: the host's ps (default -ef), keeping the header and the container's processes
            List<String> cmd = new ArrayList<>();
            cmd.add("ps");
            cmd.addAll(a.positionals().size() > 1 ? a.positionals().subList(1, a.positionals().size()) : List.of("-ef"));
            List<String> lines;
            int rc;
            try {
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                lines = new String(p.getInputStream().readAllBytes()).lines().toList();
                rc = p.waitFor();
            } catch (IOException e) {
                throw PelagosException.io("run ps", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            if (rc != 0 || lines.isEmpty()) {
                throw PelagosException.invalid("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed (exit " + rc + ")",
                        "check the ps options");
            }
            int col = java.util.Arrays.asList(lines.getFirst().trim().split("\\s+")).indexOf("PID");
            if (col < 0) {
                throw PelagosException.invalid("ps printed no PID column", "include the PID field in the ps options");
            }
            cli.out().println(lines.getFirst());
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > col && f[col].matches("\\d+") && pids.contains(Long.parseLong(f[col]))) {
                    cli.out().println(line);
                }
            }
            return 0;
        }
    }

    /** {@code pelagos list [-q] [--format table|json]}. */
    public static final class ListCommand implements Command {
        @Override
        public Options options() {
            return new Options().flag("-q, --quiet", "print only the ids").value("-f, --format", "FORMAT", "table or json");
        }

        @Override
        public String usage() {
            return "[-q] [--format table|json]";
        }

        @Override
        public String summary() {
            return "List the OCI containers under the state root";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            a.atMost(0);
            String format = format(a);
            List<Map<String, Object>> states = new ArrayList<>();
            for (OciContainer c : OciContext.runtime(cli).store().list()) {
                OciStatus s = c.status();
                if (c.pid() == 0 && s == OciStatus.STOPPED) {
                    continue; // a create that died half-way
                }
                states.add(OciStateJson.of(c, s));
            }
            if (a.has("quiet")) {
                states.forEach(s -> cli.out().println(s.get("id")));
            } else if (format.equals("json")) {
                cli.out().println(OciStateJson.compact(states));
            } else {
                cli.out().printf("%-24s %-8s %-10s %-40s %-30s %s%n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
                for (Map<String, Object> s : states) {
                    cli.out().printf("%-24s %-8s %-10s %-40s %-30s %s%n", s.get("id"), s.get("pid"), s.get("status"),
                            s.get("bundle"), s.get("created"), "root");
                }
            }
            return 0;
        }
    }

    /** {@code pelagos features}: the OCI features document. */
    public static final class Features implements Command {
        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public String usage() {
            return "";
        }

        @Override
        public String summary() {
            return "Print the OCI features this runtime supports (JSON)";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            a.atMost(0);
            cli.out().println(OciTemplates.features());
            return 0;
        }
    }

    /** {@code pelagos spec [--rootless] [--bundle DIR]}: write a starter config.json. */
    public static final class Spec implements Command {
        @Override
        public Options options() {
            return new Options().flag("--rootless", "a config for running without root (user namespace)")
                    .value("-b, --bundle", "DIR", "where to write config.json (default: the current directory)");
        }

        @Override
        public String usage() {
            return "[--rootless] [--bundle DIR]";
        }

        @Override
        public String summary() {
            return "Write a starter OCI config.json";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            a.atMost(0);
            Path file = Path.of(a.get("bundle", ".")).resolve("config.json");
            if (Files.exists(file)) {
                throw PelagosException.conflict(file + " already exists", "remove it first, or write elsewhere with --bundle");
            }
            long uid = 0;
            long gid = 0;
            try {
                uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
                gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
                Files.writeString(file, OciTemplates.spec(a.has("rootless"), uid, gid) + "\n");
            } catch (IOException e) {
                throw PelagosException.io("write " + file, e);
            }
            return 0;
        }
    }

    static String format(Args a) throws UsageException {
        String f = a.get("format", "table").toLowerCase(java.util.Locale.ROOT);
        if (!f.equals("table") && !f.equals("json")) {
            throw new UsageException("unknown format '" + a.get("format") + "': expected 'table' or 'json'", null);
        }
        return f;
    }

    static String now() {
        return Instant.now().toString();
    }
}
