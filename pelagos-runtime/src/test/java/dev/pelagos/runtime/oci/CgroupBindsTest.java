package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cgroup.CgroupMount;
import dev.pelagos.cgroup.CgroupMount.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupBindsTest {
    @TempDir
    Path host;

    private static final List<String> RO = List.of("ro", "nosuid", "nodev", "noexec", "relatime");
    private static final String SELF = "12:name=systemd:/user.slice/s1\n5:cpu,cpuacct:/\n4:pids:/user.slice\n0::/user.slice/s1\n";

    /** What a v1 driver hands over: tmpfs, one cgroupfs per hierarchy, an alias, the read-only remount. */
    private static List<CgroupMount> v1Steps() {
        return List.of(new CgroupMount(Kind.MOUNT, "tmpfs", "/sys/fs/cgroup", "tmpfs", List.of("nosuid", "nodev", "noexec"), "mode=755"),
                new CgroupMount(Kind.MOUNT, "cgroup", "/sys/fs/cgroup/cpu,cpuacct", "cgroup", RO, "cpu,cpuacct"),
                new CgroupMount(Kind.MOUNT, "cgroup", "/sys/fs/cgroup/pids", "cgroup", RO, "pids"),
                new CgroupMount(Kind.MOUNT, "cgroup", "/sys/fs/cgroup/systemd", "cgroup", RO, "none,name=systemd"),
                new CgroupMount(Kind.MOUNT, "cgroup2", "/sys/fs/cgroup/unified", "cgroup2", RO, ""),
                new CgroupMount(Kind.MOUNT, "cgroup", "/sys/fs/cgroup/memory", "cgroup", RO, "memory"),
                new CgroupMount(Kind.SYMLINK, "cpu,cpuacct", "/sys/fs/cgroup/cpu", "", List.of(), ""),
                new CgroupMount(Kind.REMOUNT, "tmpfs", "/sys/fs/cgroup", "", List.of("ro"), "mode=755"));
    }

    @Test
    void eachHierarchyIsABindOfTheContainersOwnDirectoryOrTheInheritedOne() throws Exception {
        Files.createDirectories(host.resolve("cpu,cpuacct/pelagos-oci/c1"));
        Files.createDirectories(host.resolve("pids/pelagos-oci/c1"));
        Files.createDirectories(host.resolve("systemd/user.slice/s1"));
        Files.createDirectories(host.resolve("unified/user.slice/s1"));
        // memory: neither the container's cgroup nor the inherited one exists: left out, never the host's root
        List<CgroupMount> out = CgroupBinds.forContainer(v1Steps(), host, "pelagos-oci/c1", SELF, true);
        assertThat(out).extracting(CgroupMount::target).containsExactly("/sys/fs/cgroup", "/sys/fs/cgroup/cpu,cpuacct",
                "/sys/fs/cgroup/pids", "/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/cpu", "/sys/fs/cgroup");
        assertThat(out.get(1).source()).isEqualTo(host.resolve("cpu,cpuacct/pelagos-oci/c1").toString());
        assertThat(out.get(2).source()).isEqualTo(host.resolve("pids/pelagos-oci/c1").toString());
        assertThat(out.get(3).source()).as("not joined: the cgroup it inherits").isEqualTo(host.resolve("systemd/user.slice/s1").toString());
        assertThat(out.get(4).source()).isEqualTo(host.resolve("unified/user.slice/s1").toString());
        assertThat(out.subList(1, 5)).allSatisfy(m -> {
            assertThat(m.fstype()).isEmpty();
            assertThat(m.flags()).containsExactly("rbind", "ro", "nosuid", "nodev", "noexec");
        });
        assertThat(out.getLast().kind()).isEqualTo(Kind.REMOUNT);
    }

    @Test
    void aWritableCgroupMountGetsWritableBindsAndTmpfs() throws Exception {
        Files.createDirectories(host.resolve("pids/pelagos-oci/c1"));
        List<CgroupMount> out = CgroupBinds.forContainer(v1Steps(), host, "pelagos-oci/c1", SELF, false);
        assertThat(out).filteredOn(m -> m.target().equals("/sys/fs/cgroup/pids")).singleElement()
                .satisfies(m -> assertThat(m.flags()).doesNotContain("ro"));
        assertThat(out).noneMatch(m -> m.kind() == Kind.REMOUNT);
    }

    @Test
    void cgroupV2StepsAreLeftAlone() {
        List<CgroupMount> v2 = List.of(new CgroupMount(Kind.MOUNT, "cgroup2", "/sys/fs/cgroup", "cgroup2", RO, ""));
        assertThat(CgroupBinds.forContainer(v2, host, "pelagos-oci/c1", SELF, true)).isEqualTo(v2);
    }

    @Test
    void inheritedPathsAreMatchedByTheirControllerSet() {
        CgroupMount cpu = new CgroupMount(Kind.MOUNT, "cgroup", "/sys/fs/cgroup/cpu,cpuacct", "cgroup", RO, "cpuacct,cpu");
        assertThat(CgroupBinds.inheritedPath(cpu, SELF)).isEqualTo("/");
        CgroupMount unified = new CgroupMount(Kind.MOUNT, "cgroup2", "/sys/fs/cgroup/unified", "cgroup2", RO, "");
        assertThat(CgroupBinds.inheritedPath(unified, SELF)).isEqualTo("/user.slice/s1");
        CgroupMount absent = new CgroupMount(Kind.MOUNT, "cgroup", "/sys/fs/cgroup/blkio", "cgroup", RO, "blkio");
        assertThat(CgroupBinds.inheritedPath(absent, SELF)).isNull();
    }

    @Test
    void withACgroupNamespaceAWritableMountKeepsFreshCgroupfsMountsWithoutReadOnly() {
        List<CgroupMount> out = CgroupBinds.writable(v1Steps());
        assertThat(out).extracting(CgroupMount::fstype).contains("cgroup", "cgroup2");
        assertThat(out).allSatisfy(m -> assertThat(m.flags()).doesNotContain("ro"));
        assertThat(out).noneMatch(m -> m.kind() == Kind.REMOUNT);
        assertThat(out.get(1).flags()).containsExactly("nosuid", "nodev", "noexec", "relatime");
    }
}
