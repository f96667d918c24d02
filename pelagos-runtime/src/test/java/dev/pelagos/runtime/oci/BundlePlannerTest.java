package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.Linux;
import dev.pelagos.runtime.launch.MountEntry;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.spec.Capability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePlannerTest {
    @TempDir
    Path bundle;

    private LaunchPlan plan(String linuxAndMore, BundlePlanner.Options o) throws Exception {
        return plan("", linuxAndMore, o);
    }

    private LaunchPlan plan(String processExtra, String linuxAndMore, BundlePlanner.Options o) throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        String json = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
                + "\"process\":{" + processExtra + "\"terminal\":true,\"args\":[\"sh\"],\"cwd\":\"/\",\"env\":[\"A=1\"],"
                + "\"user\":{\"uid\":1000,\"gid\":100,\"additionalGids\":[5],\"umask\":18},"
                + "\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"CAP_CHOWN\"],\"effective\":[\"CAP_KILL\"],"
                + "\"permitted\":[\"CAP_KILL\"],\"ambient\":[\"CAP_KILL\"]},"
                + "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":18446744073709551615,\"soft\":1024}],"
                + "\"noNewPrivileges\":true,\"oomScoreAdj\":100},"
                + "\"hostname\":\"box\"," + linuxAndMore + "}";
        OciConfig c = OciConfigReader.parse(json, "config.json");
        ConfigValidator.validate(c, bundle);
        return BundlePlanner.plan(c, bundle, bundle.resolve("state"), o, List.of(), List.of("/cg/cgroup.procs"), List.of("/cg"), null);
    }

    private static final String LINUX = "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
            + "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"vol\",\"options\":[\"rbind\",\"ro\",\"rslave\"]}],"
            + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"uts\"},{\"type\":\"network\"},"
            + "{\"type\":\"ipc\",\"path\":\"/proc/self/ns/ipc\"}],\"maskedPaths\":[\"/proc/kcore\"],"
            + "\"readonlyPaths\":[\"/proc/sys\"],\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"},\"rootfsPropagation\":\"rprivate\","
            + "\"devices\":[{\"type\":\"c\",\"path\":\"/dev/fuse\",\"major\":10,\"minor\":229,\"fileMode\":438},"
            + "{\"type\":\"c\",\"path\":\"/dev/null\",\"major\":1,\"minor\":3,\"uid\":7}]}";

    @Test
    void processSettingsAreCarriedOver() throws Exception {
        LaunchPlan p = plan(LINUX, BundlePlanner.Options.create(null, Path.of("/tmp/sock"), 2, false));
        LaunchPlan.ProcessPlan pr = p.process();
        assertThat(pr.args()).containsExactly("sh");
        assertThat(pr.env()).containsExactly("A=1");
        assertThat(pr.uid()).isEqualTo(1000);
        assertThat(pr.gid()).isEqualTo(100);
        assertThat(pr.groups()).containsExactly(5);
        assertThat(pr.umask()).isEqualTo(18);
        assertThat(pr.caps().bounding()).isEqualTo(Capability.KILL.bit() | Capability.CHOWN.bit());
        assertThat(pr.caps().ambient()).as("ambient needs inheritable too").isZero();
        assertThat(pr.rlimits().getFirst().hard()).as("RLIM_INFINITY").isEqualTo(-1L);
        assertThat(pr.rlimits().getFirst().resource()).isEqualTo(7);
        assertThat(pr.noNewPrivileges()).isTrue();
        assertThat(pr.oomScoreAdj()).isEqualTo(100);
        assertThat(pr.tty()).isTrue();
        assertThat(p.mode()).isEqualTo(SpecTag.Mode.CREATE);
        assertThat(p.lifecycle().consoleSocket()).isEqualTo(Path.of("/tmp/sock"));
        assertThat(p.lifecycle().preserveFds()).isEqualTo(2);
        assertThat(p.lifecycle().execFifo()).isEqualTo(bundle.resolve("state/exec.fifo"));
        assertThat(p.lifecycle().cgroupProcs()).containsExactly("/cg/cgroup.procs");
    }

    @Test
    void namespacesAreCreatedOrJoined() throws Exception {
        LaunchPlan p = plan(LINUX, BundlePlanner.Options.create(null, null, 0, false));
        assertThat(p.namespaces().cloneFlags())
                .isEqualTo(Linux.CLONE_NEWPID | Linux.CLONE_NEWNS | Linux.CLONE_NEWUTS | Linux.CLONE_NEWNET);
        assertThat(p.namespaces().joins()).singleElement()
                .satisfies(j -> assertThat(j.type()).isEqualTo(Linux.CLONE_NEWIPC));
        assertThat(p.namespaces().hostname()).isEqualTo("box");
        assertThat(p.namespaces().loopbackUp()).isTrue();
    }

    @Test
    void filesystemFollowsTheConfigPlusTheRequiredDevices() throws Exception {
        LaunchPlan p = plan(LINUX, BundlePlanner.Options.create(null, null, 0, true));
        LaunchPlan.FilesystemPlan fs = p.filesystem();
        assertThat(fs.rootfs()).isEqualTo(bundle.resolve("rootfs"));
        assertThat(fs.readonlyRoot()).isTrue();
        assertThat(fs.noPivot()).isTrue();
        assertThat(fs.rootPropagation()).isEqualTo(Linux.MS_PRIVATE | Linux.MS_REC);
        assertThat(fs.mounts()).extracting(MountEntry::target).containsExactly("/proc", "/data");
        MountEntry bind = fs.mounts().get(1);
        assertThat(bind.source()).isEqualTo(bundle.resolve("vol").toString());
        assertThat(bind.flags()).isEqualTo(Linux.MS_BIND | Linux.MS_REC | Linux.MS_RDONLY);
        assertThat(bind.propagation()).isEqualTo(Linux.MS_SLAVE | Linux.MS_REC);
        assertThat(fs.devices()).extracting(d -> d.path()).contains("/dev/null", "/dev/zero", "/dev/tty", "/dev/fuse");
        assertThat(fs.devices()).filteredOn(d -> d.path().equals("/dev/null")).singleElement()
                .satisfies(d -> assertThat(d.uid()).as("the config's entry wins").isEqualTo(7));
        assertThat(fs.masked()).containsExactly("/proc/kcore");
        assertThat(fs.readonly()).containsExactly("/proc/sys");
        assertThat(fs.sysctls()).containsExactly("net.ipv4.ip_forward=1");
    }

    @Test
    void runModeHasNoFifoAndCleansUp() throws Exception {
        LaunchPlan p = plan(LINUX, BundlePlanner.Options.create(null, null, 0, false).withMode(SpecTag.Mode.RUN, false));
        assertThat(p.mode()).isEqualTo(SpecTag.Mode.RUN);
        assertThat(p.lifecycle().execFifo()).isNull();
        assertThat(p.lifecycle().cleanup()).containsExactly(bundle.resolve("state").toString());
        assertThat(p.lifecycle().cgroupRmdir()).containsExactly("/cg");
    }

    @Test
    void consoleSizeGoesToTheTerminalAndIsCheckedForRange() throws Exception {
        LaunchPlan p = plan("\"consoleSize\":{\"height\":10,\"width\":110},", LINUX,
                BundlePlanner.Options.create(null, null, 0, false));
        assertThat(p.lifecycle().consoleSize()).isEqualTo(new LaunchPlan.ConsoleSize(10, 110));
        assertThat(plan(LINUX, BundlePlanner.Options.create(null, null, 0, false)).lifecycle().consoleSize()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> plan("\"consoleSize\":{\"height\":70000,\"width\":80},", LINUX,
                BundlePlanner.Options.create(null, null, 0, false))).isInstanceOf(PelagosException.class)
                .hasMessageContaining("consoleSize");
    }

    @Test
    void recursiveMountOptionsReachTheMount() throws Exception {
        String linux = LINUX.replace("[\"rbind\",\"ro\",\"rslave\"]", "[\"rbind\",\"rro\",\"rnosuid\"]");
        MountEntry bind = plan(linux, BundlePlanner.Options.create(null, null, 0, false)).filesystem().mounts().get(1);
        assertThat(bind.flags()).isEqualTo(Linux.MS_BIND | Linux.MS_REC);
        assertThat(bind.recursiveSet()).isEqualTo(MountOptions.MOUNT_ATTR_RDONLY | MountOptions.MOUNT_ATTR_NOSUID);
        assertThat(bind.recursiveClear()).isZero();
    }
}
