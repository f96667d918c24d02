package dev.pelagos.cli.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.runtime.container.Containers;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.rootfs.RootfsStore;
import dev.pelagos.runtime.spec.ContainerConfigBuilder;
import dev.pelagos.runtime.spec.HealthCheck;
import java.nio.file.Path;
import java.util.List;

/** {@code pelagos run}: create and start a container; in the foreground this process becomes its monitor. */
public final class RunCommand implements Command {
    @Override
    public Options options() {
        return new Options()
                .value("--name", "NAME", "assign a name to the container")
                .flag("-d, --detach", "run in the background and print the container ID")
                .flag("-i, --interactive", "keep stdin open")
                .flag("-t, --tty", "allocate a pseudo-terminal")
                .flag("--rm", "remove the container when it exits")
                .value("--rootfs", "DIR|NAME", "use a root filesystem directory (or an imported name) instead of an image")
                .value("-h, --hostname", "NAME", "container host name (default: the short ID)")
                .list("-e, --env", "KEY=VALUE", "set an environment variable (KEY alone copies this shell's value)")
                .list("--env-file", "FILE", "read KEY=VALUE lines from a file")
                .value("-w, --workdir", "DIR", "working directory inside the container")
                .value("-u, --user", "UID[:GID]", "user to run as (numbers, or names from the container's /etc/passwd)")
                .list("--group-add", "GROUP", "add a supplementary group")
                .list("--ulimit", "RES=SOFT[:HARD]", "set a resource limit, e.g. nofile=1024:2048")
                .list("--sysctl", "KEY=VALUE", "set a namespaced kernel parameter")
                .flag("--read-only", "mount the root filesystem read-only")
                .list("--tmpfs", "PATH[:OPTS]", "mount a tmpfs")
                .list("--bind", "HOST:CTR", "bind-mount a host path read-write")
                .list("--bind-ro", "HOST:CTR", "bind-mount a host path read-only")
                .list("-v, --volume", "SRC:CTR[:ro]", "bind-mount a host path or a named volume")
                .flag("--init", "run a tiny init as PID 1 that forwards signals and reaps zombies")
                .list("--network, --net", "NETWORK", "none (own namespace, loopback only; default), host, bridge, or a network's name")
                .list("--network-alias", "ALIAS", "another name the container answers to on its bridge networks")
                .list("--dns", "ADDRESS", "a resolver for names that are not containers' (instead of the host's)")
                .list("--dns-search", "DOMAIN", "a DNS search domain (instead of the host's; . for none)")
                .list("--dns-option", "OPTION", "a resolv.conf option, e.g. ndots:2 (instead of the host's)")
                .list("--add-host", "NAME:ADDRESS", "an /etc/hosts line (ADDRESS host-gateway: the host on the first network)")
                .list("-p, --publish", "[IP:][HOST:]CTR[/PROTO]", "publish a container port on the host (and 127.0.0.1); implies --network bridge")
                .list("--cap-add", "CAP", "add a capability")
                .list("--cap-drop", "CAP", "drop a capability (ALL for every one)")
                .flag("--privileged", "give the container every capability and no seccomp filter")
                .list("--device", "HOST[:CTR][:PERMS]", "give the container a host device (permissions of rwm, default all)")
                .list("--device-cgroup-rule", "RULE", "allow devices by number, e.g. 'c 10:200 rwm' (nodes made by the container)")
                .list("--security-opt", "OPT", "seccomp=unconfined|PROFILE.json, no-new-privileges=false")
                .list("-l, --label", "KEY=VALUE", "set a label")
                .value("--entrypoint", "CMD", "override the image's entrypoint")
                .value("--pull", "POLICY", "pull the image: missing (default), always, never")
                .flag("-q, --quiet", "do not print pull progress")
                .value("--health-cmd", "CMD", "a shell command that checks the container's health")
                .value("--health-interval", "DURATION", "time between checks (default 30s)")
                .value("--health-timeout", "DURATION", "time a check may take (default 30s)")
                .value("--health-retries", "N", "failures in a row that make it unhealthy (default 3)")
                .value("--health-start-period", "DURATION", "failures in this first period do not count")
                .flag("--no-healthcheck", "disable the image's health check")
                .value("-m, --memory", "BYTES", "memory limit (e.g. 512m)")
                .value("--memory-swap", "BYTES", "memory plus swap limit (-1: unlimited swap)")
                .value("--memory-reservation", "BYTES", "memory soft limit")
                .value("--cpus", "N", "number of CPUs (e.g. 0.5)")
                .value("-c, --cpu-shares", "N", "relative CPU weight")
                .value("--cpu-quota", "MICROS", "CPU CFS quota")
                .value("--cpu-period", "MICROS", "CPU CFS period")
                .value("--cpuset-cpus", "LIST", "CPUs the container may use (0-3, 0,1)")
                .value("--cpuset-mems", "LIST", "memory nodes the container may use")
                .value("--pids-limit", "N", "process limit (default 2048; -1 or 0: unlimited)")
                .value("--blkio-weight", "N", "block I/O weight (10-1000)")
                .list("--device-read-bps", "DEV:RATE", "read rate limit of a device (e.g. /dev/sda:1mb)")
                .list("--device-write-bps", "DEV:RATE", "write rate limit of a device")
                .list("--device-read-iops", "DEV:N", "read IO/s limit of a device")
                .list("--device-write-iops", "DEV:N", "write IO/s limit of a device")
                .value("--oom-score-adj", "N", "the OOM killer's preference (-1000..1000)")
                .value("--cgroup-parent", "PATH", "parent cgroup (default: pelagos)")
                .stopAtFirstPositional();
    }

    @Override
    public String usage() {
        return "[OPTIONS] IMAGE [COMMAND] [ARG...]  |  run [OPTIONS] --rootfs DIR [COMMAND] [ARG...]";
    }

    @Override
    public String summary() {
        return "Create and run a container";
    }

    private static void dnsFlags(Args a, dev.pelagos.runtime.spec.DnsSettings.Builder dns) throws PelagosException {
        for (String v : a.all("network-alias")) {
            dns.alias(v);
        }
        for (String v : a.all("dns")) {
            dns.server(v);
        }
        for (String v : a.all("dns-search")) {
            dns.search(v);
        }
        for (String v : a.all("dns-option")) {
            dns.option(v);
        }
        for (String v : a.all("add-host")) {
            dns.addHost(v);
        }
    }

    @Override
    public int failureExitCode() {
        return 125;
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        dev.pelagos.base.StartupTrace.mark("run parsed");
        ContainerConfigBuilder b = new ContainerConfigBuilder();
        List<String> pos = a.positionals();
        if (a.has("rootfs")) {
            Path root = new RootfsStore(cli.paths().rootfsLinks()).resolve(a.get("rootfs"));
            b.rootfs(root, a.get("rootfs")).command(pos);
        } else {
            if (pos.isEmpty()) {
                throw new UsageException("'pelagos run' needs an image", "give an IMAGE, or --rootfs DIR; see 'pelagos run --help'");
            }
            b.image(pos.getFirst()).command(pos.subList(1, pos.size()));
        }
        if (!a.has("rootfs")) {
            // the image must be local before the container is planned; pull it per --pull
            dev.pelagos.image.PullPolicy policy = dev.pelagos.image.PullPolicy.parse(a.get("pull", "missing"));
            new dev.pelagos.image.ImagePuller(dev.pelagos.image.ImageStore.open(cli.paths().data())).ensure(pos.getFirst(),
                    policy, dev.pelagos.image.PullOptions.DEFAULT, dev.pelagos.cli.image.ImageCommands.progress(cli, a.has("quiet")));
        }
        b.name(a.get("name")).autoRemove(a.has("rm")).hostname(a.get("hostname"))
                .tty(a.has("tty")).interactive(a.has("interactive"));
        for (String f : a.all("env-file")) {
            b.envFile(Path.of(f));
        }
        for (String e : a.all("env")) {
            b.envFlag(e);
        }
        b.workdir(a.get("workdir")).user(a.get("user"));
        a.all("group-add").forEach(b::groupAdd);
        for (String u : a.all("ulimit")) {
            b.ulimitFlag(u);
        }
        for (String s : a.all("sysctl")) {
            b.sysctlFlag(s);
        }
        b.readOnly(a.has("read-only")).init(a.has("init"));
        for (String t : a.all("tmpfs")) {
            b.tmpfsFlag(t);
        }
        for (String m : a.all("bind")) {
            b.bindFlag(m, false);
        }
        for (String m : a.all("bind-ro")) {
            b.bindFlag(m, true);
        }
        for (String v : a.all("volume")) {
            b.volumeFlag(v);
        }
        for (String n : a.all("network")) {
            b.network(n);
        }
        for (String p : a.all("publish")) {
            b.publish(p);
        }
        dnsFlags(a, b.dns());
        for (String c : a.all("cap-add")) {
            b.capAdd(c);
        }
        for (String c : a.all("cap-drop")) {
            b.capDrop(c);
        }
        b.privileged(a.has("privileged"));
        for (String d : a.all("device")) {
            b.device(d);
        }
        for (String r : a.all("device-cgroup-rule")) {
            b.deviceCgroupRule(r);
        }
        for (String o : a.all("security-opt")) {
            b.securityOpt(o);
        }
        for (String l : a.all("label")) {
            b.label(l);
        }
        if (a.has("entrypoint")) {
            String ep = a.get("entrypoint");
            b.entrypoint(ep.isEmpty() ? List.of() : List.of(ep));
        }
        for (String flag : dev.pelagos.cgroup.ResourceFlags.NAMES) {
            for (String v : a.all(flag)) {
                b.resourceFlag(flag, v);
            }
        }
        b.cgroupParent(a.get("cgroup-parent"));
        b.noHealthcheck(a.has("no-healthcheck"));
        if (a.has("health-cmd") && !a.has("no-healthcheck")) {
            b.health(HealthCheck.fromFlags(a.get("health-cmd"), a.get("health-interval"), a.get("health-timeout"),
                    a.get("health-start-period"), a.get("health-retries")));
        }
        dev.pelagos.base.StartupTrace.mark("config built");
        Containers containers = new Containers(cli.paths(), Cli.home());
        Containers.Prepared p = containers.prepare(b.build(), a.has("detach") ? SpecTag.Mode.DETACH : SpecTag.Mode.RUN);
        cli.out().flush();
        cli.err().flush();
        if (System.getProperty(dev.pelagos.cli.AotTraining.PROPERTY) != null) {
            // training the AOT cache: everything up to the hand-off, then undo what was made
            dev.pelagos.runtime.launch.SpecEncoder.encode(p.plan());
            dev.pelagos.sys.NativeHandoff.class.getName();
            containers.discardPrepared(p);
            return 0;
        }
        containers.runInPlace(p);
        return 125; // not reached: runInPlace either replaces this process or throws
    }
}
