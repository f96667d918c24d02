package dev.pelagos.runtime.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.rootfs.DirRootView;
import dev.pelagos.runtime.seccomp.SeccompChoice;
import dev.pelagos.runtime.spec.Capability;
import dev.pelagos.runtime.spec.ContainerConfig;
import dev.pelagos.runtime.spec.ContainerConfigBuilder;
import dev.pelagos.runtime.spec.DnsSettings;
import dev.pelagos.runtime.spec.NetworkMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner is where all policy lives: defaults, environment, command, capabilities, mounts, namespaces. */
class PlannerTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final long ALL_CAPS = (1L << 41) - 1;
    private static final byte[] FILTER = {1, 2, 3, 4, 5, 6, 7, 8};

    @TempDir
    Path tmp;
    private Path rootfs;
    private final List<SeccompChoice> seccompAsked = new ArrayList<>();
    private final List<Long> seccompCaps = new ArrayList<>();

    @BeforeEach
    void rootfs() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:alice\nalice:x:1000:\n");
    }

    private ContainerConfigBuilder config() {
        return new ContainerConfigBuilder().rootfs(rootfs, "test");
    }

    private LaunchPlan plan(ContainerConfig c) throws PelagosException {
        return plan(c, ResolvedRoot.ImageDefaults.NONE);
    }

    private LaunchPlan plan(ContainerConfig c, ResolvedRoot.ImageDefaults img) throws PelagosException {
        ResolvedRoot root = new ResolvedRoot(rootfs, null, new DirRootView(rootfs), img);
        Planner.Context ctx = new Planner.Context(ID, "web", tmp.resolve("state"), tmp.resolve("volumes"),
                List.of(tmp.resolve("state").toString()), null, null, null);
        SeccompProvider provider = (choice, caps) -> {
            seccompAsked.add(choice);
            seccompCaps.add(caps);
            return choice == SeccompChoice.UNCONFINED ? Optional.empty() : Optional.of(FILTER);
        };
        return Planner.plan(SpecTag.Mode.RUN, c, root, ctx, provider, ALL_CAPS);
    }

    @Test
    void defaultsForRoot() throws PelagosException {
        LaunchPlan p = plan(config().command(List.of("/probe")).build());
        LaunchPlan.ProcessPlan proc = p.process();
        assertThat(proc.args()).containsExactly("/probe");
        assertThat(proc.uid()).isZero();
        assertThat(proc.gid()).isZero();
        assertThat(proc.groups()).containsExactly(0);
        assertThat(proc.cwd()).isEqualTo("/");
        assertThat(proc.caps()).isEqualTo(new LaunchPlan.Capabilities(0x800405fbL, 0x800405fbL, 0x800405fbL, 0, 0));
        assertThat(proc.noNewPrivileges()).isTrue();
        assertThat(proc.seccomp()).isEqualTo(FILTER);
        assertThat(seccompAsked).containsExactly(SeccompChoice.DEFAULT);
        assertThat(seccompCaps).containsExactly(0x800405fbL);
        assertThat(p.namespaces().hostname()).isEqualTo(ID.substring(0, 12));
        assertThat(p.namespaces().cloneFlags()).isEqualTo(Linux.CLONE_NEWNS | Linux.CLONE_NEWPID | Linux.CLONE_NEWUTS
                | Linux.CLONE_NEWIPC | Linux.CLONE_NEWCGROUP | Linux.CLONE_NEWNET);
        assertThat(p.namespaces().loopbackUp()).isTrue();
        assertThat(p.filesystem().masked()).containsExactlyElementsOf(DefaultFilesystem.MASKED_PATHS).hasSize(12);
        assertThat(p.filesystem().readonly()).containsExactly("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        assertThat(p.filesystem().readonlyRoot()).isFalse();
        assertThat(p.lifecycle().cleanup()).containsExactly(tmp.resolve("state").toString());
    }

    @Test
    void environmentOrderAndDefaults() throws PelagosException {
        LaunchPlan p = plan(config().envFlag("B=2").envFlag("A=1").build());
        assertThat(p.process().env()).containsExactly("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOSTNAME=" + ID.substring(0, 12), "B=2", "A=1", "HOME=/root");
    }

    @Test
    void imageEnvComesBeforeTheUsersAndTheUserWins() throws PelagosException {
        ResolvedRoot.ImageDefaults img = new ResolvedRoot.ImageDefaults(List.of("PATH=/image/bin", "X=image", "HOME=/img"),
                List.of(), List.of("/bin/true"), null, null);
        LaunchPlan p = plan(config().envFlag("X=user").hostname("box").build(), img);
        assertThat(p.process().env()).containsExactly("PATH=/image/bin", "HOSTNAME=box", "X=user", "HOME=/img");
    }

    @Test
    void userPathOverridesTheDefaultLikeDocker() throws PelagosException {
        LaunchPlan p = plan(config().envFlag("PATH=/opt/bin").build());
        assertThat(p.process().env()).contains("PATH=/opt/bin").doesNotContain("PATH=" + Planner.DEFAULT_PATH);
    }

    @Test
    void homeComesFromThePasswdEntryOrIsSlash() throws PelagosException {
        assertThat(plan(config().user("alice").build()).process().env()).contains("HOME=/home/alice");
        assertThat(plan(config().user("4242").build()).process().env()).contains("HOME=/");
    }

    @Test
    void rootfsWithoutCommandRunsAShell() throws PelagosException {
        assertThat(plan(config().build()).process().args()).containsExactly("/bin/sh");
    }

    @Test
    void commandRulesFollowDocker() throws PelagosException {
        ResolvedRoot.ImageDefaults img = new ResolvedRoot.ImageDefaults(List.of(), List.of("/entry", "--flag"),
                List.of("default", "cmd"), "/app", null);
        assertThat(Planner.command(config().build(), img)).containsExactly("/entry", "--flag", "default", "cmd");
        assertThat(Planner.command(config().command(List.of("mine")).build(), img)).containsExactly("/entry", "--flag", "mine");
        // --entrypoint replaces the image's entrypoint and drops its Cmd
        assertThat(Planner.command(config().entrypoint(List.of("/other")).build(), img)).containsExactly("/other");
        assertThat(Planner.command(config().entrypoint(List.of("/other")).command(List.of("x")).build(), img))
                .containsExactly("/other", "x");
        // --entrypoint "" clears it: the command alone runs
        assertThat(Planner.command(config().entrypoint(List.of()).command(List.of("/bin/ls")).build(), img)).containsExactly("/bin/ls");
        assertThat(plan(config().build(), img).process().cwd()).isEqualTo("/app");
        assertThat(plan(config().workdir("/w").build(), img).process().cwd()).isEqualTo("/w");
    }

    @Test
    void imageWithoutAnyCommandIsAnError() throws PelagosException {
        ContainerConfig c = new ContainerConfigBuilder().image("scratch").build();
        assertThatThrownBy(() -> Planner.command(c, ResolvedRoot.ImageDefaults.NONE))
                .isInstanceOf(PelagosException.class).hasMessage("no command specified");
    }

    @Test
    void nonRootUserGetsOnlyAddedCapsAndThroughAmbient() throws PelagosException {
        LaunchPlan.Capabilities none = plan(config().user("1000").build()).process().caps();
        assertThat(none.effective()).isZero();
        assertThat(none.permitted()).isZero();
        assertThat(none.inheritable()).isZero();
        assertThat(none.ambient()).isZero();
        assertThat(none.bounding()).isEqualTo(0x800405fbL);

        LaunchPlan.Capabilities added = plan(config().user("alice").capAdd("NET_RAW").build()).process().caps();
        long raw = Capability.NET_RAW.bit();
        assertThat(added).isEqualTo(new LaunchPlan.Capabilities(0x800405fbL | raw, raw, raw, raw, raw));
    }

    @Test
    void nonRootAddedCapThatIsAlsoDroppedIsNotGranted() throws PelagosException {
        LaunchPlan.Capabilities c = plan(config().user("1000").capAdd("CHOWN").capDrop("ALL").build()).process().caps();
        assertThat(c.ambient()).isEqualTo(Capability.CHOWN.bit());
        assertThat(c.bounding()).isEqualTo(Capability.CHOWN.bit());
    }

    @Test
    void userAndGroupsResolveInTheRootfs() throws PelagosException {
        LaunchPlan.ProcessPlan p = plan(config().user("alice").groupAdd("7").build()).process();
        assertThat(p.uid()).isEqualTo(1000);
        assertThat(p.gid()).isEqualTo(1000);
        assertThat(p.groups()).containsExactly(1000, 50, 7);
    }

    @Test
    void privilegedRemovesMasksReadonlyPathsAndSeccompAndMountsSysWritable() throws PelagosException {
        LaunchPlan p = plan(config().privileged(true).build());
        assertThat(p.filesystem().masked()).isEmpty();
        assertThat(p.filesystem().readonly()).isEmpty();
        assertThat(p.process().seccomp()).isNull();
        assertThat(p.process().caps()).isEqualTo(LaunchPlan.Capabilities.of(ALL_CAPS));
        MountEntry sys = p.filesystem().mounts().stream().filter(m -> m.target().equals("/sys")).findFirst().orElseThrow();
        assertThat(sys.flags() & Linux.MS_RDONLY).isZero();
    }

    @Test
    void seccompUnconfinedMeansNoFilterButEverythingElseStays() throws PelagosException {
        LaunchPlan p = plan(config().securityOpt("seccomp=unconfined").build());
        assertThat(p.process().seccomp()).isNull();
        assertThat(p.filesystem().masked()).isNotEmpty();
        assertThat(p.process().noNewPrivileges()).isTrue();
        assertThat(p.process().caps().effective()).isEqualTo(0x800405fbL);
    }

    @Test
    void seccompIsCompiledForTheFinalCapabilitySet() throws PelagosException {
        plan(config().capAdd("SYS_ADMIN").build());
        assertThat(seccompCaps).containsExactly(0x800405fbL | Capability.SYS_ADMIN.bit());
    }

    @Test
    void noNewPrivilegesCanBeTurnedOff() throws PelagosException {
        assertThat(plan(config().securityOpt("no-new-privileges=false").build()).process().noNewPrivileges()).isFalse();
    }

    @Test
    void readOnlyRootAndSysAlwaysReadOnly() throws PelagosException {
        LaunchPlan p = plan(config().readOnly(true).build());
        assertThat(p.filesystem().readonlyRoot()).isTrue();
        MountEntry sys = p.filesystem().mounts().stream().filter(m -> m.target().equals("/sys")).findFirst().orElseThrow();
        assertThat(sys.flags() & Linux.MS_RDONLY).isEqualTo(Linux.MS_RDONLY);
    }

    @Test
    void networkBridgeJoinsTheNamespaceMadeForItAndLetsTheFileGo() throws Exception {
        ResolvedRoot root = new ResolvedRoot(rootfs, null, new DirRootView(rootfs), ResolvedRoot.ImageDefaults.NONE);
        Path netns = tmp.resolve("netns");
        Planner.Context ctx = new Planner.Context(ID, "web", tmp.resolve("state"), tmp.resolve("volumes"), List.of(), null, null, null,
                Planner.CgroupFiles.NONE, List.of(), new Planner.Network(netns, "172.19.0.5", "172.19.0.1"), List.of());
        LaunchPlan p = Planner.plan(SpecTag.Mode.RUN, config().network(NetworkMode.BRIDGE).hostname("box").build(), root, ctx,
                (choice, caps) -> Optional.of(FILTER), ALL_CAPS);
        assertThat(p.namespaces().cloneFlags() & Linux.CLONE_NEWNET).as("joined, not made").isZero();
        assertThat(p.namespaces().joins()).containsExactly(new LaunchPlan.NamespacePath(Linux.CLONE_NEWNET, netns.toString(), true));
        assertThat(p.namespaces().loopbackUp()).as("lo was brought up with the namespace").isFalse();
        assertThat(Files.readString(tmp.resolve("state/etc/hosts"))).endsWith("172.19.0.5\tbox\n");
        assertThat(Files.readString(tmp.resolve("state/etc/resolv.conf"))).startsWith("nameserver 172.19.0.1\n");
        // a bridge container without its namespace is a programming error, not a container with the host's network
        Planner.Context none = new Planner.Context(ID, "web", tmp.resolve("state"), tmp.resolve("volumes"), List.of(), null, null, null);
        assertThatThrownBy(() -> Planner.plan(SpecTag.Mode.RUN, config().network(NetworkMode.BRIDGE).build(), root, none,
                (choice, caps) -> Optional.of(FILTER), ALL_CAPS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void networkHostKeepsTheHostNamespace() throws PelagosException {
        LaunchPlan p = plan(config().network(NetworkMode.HOST).build());
        assertThat(p.namespaces().cloneFlags() & Linux.CLONE_NEWNET).isZero();
        assertThat(p.namespaces().loopbackUp()).isFalse();
        assertThat(p.namespaces().cloneFlags() & Linux.CLONE_NEWUSER).isZero();
    }

    @Test
    void mountOrderKernelThenUserMountsThenEtcFiles() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        LaunchPlan p = plan(config().bindFlag(src + ":/data", true).tmpfsFlag("/scratch:size=1m").hostname("box").build());
        assertThat(p.filesystem().mounts()).extracting(MountEntry::target).containsExactly("/proc", "/dev", "/dev/pts", "/dev/shm",
                "/dev/mqueue", "/sys", "/data", "/scratch", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf");
        for (MountEntry m : p.filesystem().mounts().subList(0, 6)) {
            assertThat(m.options() & SpecTag.MNT_NOFOLLOW).as("kernel mount %s refuses symlinked targets", m.target()).isNotZero();
        }
        MountEntry data = mountAt(p, "/data");
        assertThat(data.source()).isEqualTo(src.toString());
        assertThat(data.flags()).isEqualTo(Linux.MS_BIND | Linux.MS_REC | Linux.MS_RDONLY);
        MountEntry scratch = mountAt(p, "/scratch");
        assertThat(scratch.fstype()).isEqualTo("tmpfs");
        assertThat(scratch.data()).isEqualTo("size=1m");
        assertThat(Files.readString(tmp.resolve("state/etc/hostname"))).isEqualTo("box\n");
        assertThat(Files.readString(tmp.resolve("state/etc/hosts"))).contains("127.0.0.1\tlocalhost").contains("box");
        assertThat(mountAt(p, "/etc/hosts").source()).isEqualTo(tmp.resolve("state/etc/hosts").toString());
    }

    @Test
    void defaultDevicesAndLinks() throws PelagosException {
        LaunchPlan p = plan(config().build());
        assertThat(p.filesystem().devices()).extracting(DeviceNode::path)
                .containsExactly("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty");
        assertThat(p.filesystem().symlinks()).extracting(l -> l[1])
                .containsExactly("/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/ptmx");
    }

    @Test
    void bindOfAMissingSourceFailsButVolumeFlagCreatesIt() throws PelagosException {
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> plan(config().bindFlag(missing + ":/x", false).build()))
                .isInstanceOf(PelagosException.class).hasMessage("bind source '" + missing + "' does not exist");
        plan(config().volumeFlag(missing + ":/x").build());
        assertThat(missing).isDirectory();
    }

    @Test
    void namedVolumeLivesUnderTheVolumesDirectory() throws PelagosException {
        LaunchPlan p = plan(config().volumeFlag("cache:/cache:ro").build());
        MountEntry v = mountAt(p, "/cache");
        assertThat(v.source()).isEqualTo(tmp.resolve("volumes/cache/_data").toString());
        assertThat(v.flags() & Linux.MS_RDONLY).isEqualTo(Linux.MS_RDONLY);
        assertThat(tmp.resolve("volumes/cache/_data")).isDirectory();
    }

    @Test
    void fileBindIsMarkedAsAFileTarget() throws Exception {
        Path f = Files.writeString(tmp.resolve("conf"), "x");
        MountEntry m = mountAt(plan(config().bindFlag(f + ":/etc/app.conf", false).build()), "/etc/app.conf");
        assertThat(m.options() & SpecTag.MNT_MKFILE).isNotZero();
    }

    @Test
    void ulimitsAndSysctlsPassThrough() throws PelagosException {
        LaunchPlan p = plan(config().ulimitFlag("nofile=100:200").sysctlFlag("net.core.somaxconn=512").build());
        assertThat(p.process().rlimits()).containsExactly(new LaunchPlan.Rlimit(7, 100, 200));
        assertThat(p.filesystem().sysctls()).containsExactly("net.core.somaxconn=512");
    }

    private static MountEntry mountAt(LaunchPlan p, String target) {
        return p.filesystem().mounts().stream().filter(m -> m.target().equals(target)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no mount at " + target));
    }

    @Test
    void initFlagReachesTheLifecycle() throws PelagosException {
        assertThat(plan(config().init(true).build()).lifecycle().init()).isTrue();
        assertThat(plan(config().build()).lifecycle().init()).isFalse();
    }

    @Test
    void aBridgeContainerAsksTheNameServiceOnItsGatewayWithTheHostsSearchDomains() {
        String host = "# made by someone\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch corp.example\noptions ndots:2 timeout:1\n";
        assertThat(Planner.resolvConf(host, "10.88.0.1", DnsSettings.NONE))
                .isEqualTo("nameserver 10.88.0.1\nsearch corp.example\noptions ndots:2 timeout:1\n");
        assertThat(Planner.resolvConf(host, null, DnsSettings.NONE)).as("host network: the host's file").isEqualTo(host);
    }

    @Test
    void dnsFlagsReplaceTheHostsResolversSearchDomainsAndOptions() throws Exception {
        String host = "# made by someone\nnameserver 10.0.0.2\nsearch corp.example\noptions ndots:2\n";
        DnsSettings own = new DnsSettings.Builder().server("9.9.9.9").search("a.example").search("b.example").option("edns0")
                .build(NetworkMode.HOST);
        assertThat(Planner.resolvConf(host, null, own))
                .isEqualTo("# made by someone\nnameserver 9.9.9.9\nsearch a.example b.example\noptions edns0\n");
        assertThat(Planner.resolvConf(host, "10.88.0.1", own)).as("on a bridge --dns goes to the name service, not here")
                .isEqualTo("nameserver 10.88.0.1\nsearch a.example b.example\noptions edns0\n");
        DnsSettings noSearch = new DnsSettings.Builder().search(".").build(NetworkMode.BRIDGE);
        assertThat(Planner.resolvConf(host, "10.88.0.1", noSearch)).isEqualTo("nameserver 10.88.0.1\noptions ndots:2\n");
    }

    @Test
    void addHostLinesGoToEtcHostsHostGatewayBeingTheFirstNetworksGateway() throws Exception {
        ResolvedRoot root = new ResolvedRoot(rootfs, null, new DirRootView(rootfs), ResolvedRoot.ImageDefaults.NONE);
        Planner.Context ctx = new Planner.Context(ID, "web", tmp.resolve("state"), tmp.resolve("volumes"), List.of(), null, null, null,
                Planner.CgroupFiles.NONE, List.of(), new Planner.Network(tmp.resolve("netns"), "172.19.0.5", "172.19.0.1"), List.of());
        ContainerConfigBuilder b = config().network(NetworkMode.BRIDGE).hostname("box");
        b.dns().addHost("host.docker.internal:host-gateway").addHost("db.local=10.1.2.3");
        Planner.plan(SpecTag.Mode.RUN, b.build(), root, ctx, (choice, caps) -> Optional.of(FILTER), ALL_CAPS);
        assertThat(Files.readString(tmp.resolve("state/etc/hosts")))
                .endsWith("172.19.0.5\tbox\n172.19.0.1\thost.docker.internal\n10.1.2.3\tdb.local\n");
    }

    /** {@code container:NAME}: the other container's namespace is joined through the link, never released; its /etc files are taken. */
    @Test
    void aSharedNetworkIsJoinedNotReleasedAndItsEtcFilesTaken() throws Exception {
        ResolvedRoot root = new ResolvedRoot(rootfs, null, new DirRootView(rootfs), ResolvedRoot.ImageDefaults.NONE);
        Path theirs = Files.createDirectories(tmp.resolve("main/etc"));
        Files.writeString(theirs.resolve("hosts"), "10.0.0.2\tmain\n");
        Files.writeString(theirs.resolve("resolv.conf"), "nameserver 10.0.0.1\n");
        Path link = tmp.resolve("state-link");
        Planner.Context ctx = new Planner.Context(ID, "side", tmp.resolve("state"), tmp.resolve("volumes"), List.of(), null, null, null,
                Planner.CgroupFiles.NONE, List.of(), new Planner.Network(link, null, null, theirs), List.of());
        LaunchPlan p = Planner.plan(SpecTag.Mode.RUN, config().network("container:main").build(), root, ctx,
                (choice, caps) -> Optional.of(FILTER), ALL_CAPS);
        assertThat(p.namespaces().cloneFlags() & Linux.CLONE_NEWNET).isZero();
        assertThat(p.namespaces().joins()).containsExactly(new LaunchPlan.NamespacePath(Linux.CLONE_NEWNET, link.toString(), false));
        assertThat(Files.readString(tmp.resolve("state/etc/hosts"))).isEqualTo("10.0.0.2\tmain\n");
        assertThat(Files.readString(tmp.resolve("state/etc/resolv.conf"))).isEqualTo("nameserver 10.0.0.1\n");
    }
}
