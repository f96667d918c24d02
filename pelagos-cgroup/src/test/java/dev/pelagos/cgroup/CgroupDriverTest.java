package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection, controller checks and rollback, on fake hierarchies in temp directories. */
class CgroupDriverTest {
    @TempDir
    Path root;

    private void v1Tree(String... hierarchies) {
        for (String h : hierarchies) {
            Fixture.files(root.resolve(h), "cgroup.procs");
        }
    }

    @Test
    void cgroupControllersAtTheRootMeansV2() throws PelagosException {
        Fixture.file(root, "cgroup.controllers", "cpuset cpu io memory pids\n");
        CgroupDriver d = CgroupDriver.detect(root);
        assertThat(d.version()).isEqualTo(2);
        assertThat(d.layout()).isEqualTo("unified");
        assertThat(d.availableControllers()).containsExactly("cpuset", "cpu", "io", "memory", "pids");
        assertThat(d.containerMounts()).containsExactly(new CgroupMount(CgroupMount.Kind.MOUNT, "cgroup2", "/sys/fs/cgroup",
                "cgroup2", java.util.List.of("ro", "nosuid", "nodev", "noexec", "relatime"), ""));
    }

    @Test
    void perControllerMountsMeanV1AndAUnifiedMountBesideThemMeansHybrid() throws PelagosException {
        v1Tree("cpu", "cpuacct", "memory", "pids", "freezer", "systemd");
        Fixture.file(root.resolve("unified"), "cgroup.controllers", "hugetlb\n");
        CgroupDriver d = CgroupDriver.detect(root);
        assertThat(d.version()).isEqualTo(1);
        assertThat(d.layout()).isEqualTo("hybrid");
        assertThat(d.availableControllers()).containsExactly("cpu", "cpuacct", "freezer", "memory", "pids");
    }

    @Test
    void comountedControllersShareADirectoryAndKeepTheirSymlinks() throws Exception {
        v1Tree("cpu,cpuacct", "memory");
        Files.createSymbolicLink(root.resolve("cpu"), Path.of("cpu,cpuacct"));
        Files.createSymbolicLink(root.resolve("cpuacct"), Path.of("cpu,cpuacct"));
        CgroupDriver d = CgroupDriver.detect(root);
        assertThat(d.layout()).isEqualTo("legacy");
        assertThat(d.availableControllers()).containsExactly("cpu", "cpuacct", "memory");
        assertThat(d.containerMounts()).extracting(CgroupMount::kind, CgroupMount::target, CgroupMount::data).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CgroupMount.Kind.MOUNT, "/sys/fs/cgroup", "mode=755"),
                org.assertj.core.groups.Tuple.tuple(CgroupMount.Kind.MOUNT, "/sys/fs/cgroup/cpu,cpuacct", "cpu,cpuacct"),
                org.assertj.core.groups.Tuple.tuple(CgroupMount.Kind.MOUNT, "/sys/fs/cgroup/memory", "memory"),
                org.assertj.core.groups.Tuple.tuple(CgroupMount.Kind.SYMLINK, "/sys/fs/cgroup/cpu", ""),
                org.assertj.core.groups.Tuple.tuple(CgroupMount.Kind.SYMLINK, "/sys/fs/cgroup/cpuacct", ""),
                org.assertj.core.groups.Tuple.tuple(CgroupMount.Kind.REMOUNT, "/sys/fs/cgroup", "mode=755"));
        assertThat(d.containerMounts().get(3).source()).isEqualTo("cpu,cpuacct");
        assertThat(d.containerMounts().get(1).flags()).contains("ro");
    }

    @Test
    void nothingMountedIsUnsupported() {
        assertThatThrownBy(() -> CgroupDriver.detect(root)).isInstanceOfSatisfying(PelagosException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
    }

    @Test
    void aLimitWithoutItsControllerFailsBeforeAnythingIsCreated() throws Exception {
        Fixture.file(root, "cgroup.controllers", "cpu memory pids\n");
        Fixture.files(root, "cgroup.subtree_control");
        CgroupDriver d = CgroupDriver.detect(root);
        assertThatThrownBy(() -> d.create("pelagos/c1", Resources.builder().blkioWeight(100).build()))
                .isInstanceOfSatisfying(PelagosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
                    assertThat(e.getMessage()).isEqualTo("cannot apply --blkio-weight/--device-*-bps/--device-*-iops: the io"
                            + " cgroup controller is not available (this host has: cpu memory pids)");
                });
        assertThat(subdirectories(root)).isEmpty();
    }

    @Test
    void v1WithoutAControllerSaysSo() throws Exception {
        v1Tree("cpu", "memory");
        CgroupDriver d = CgroupDriver.detect(root);
        assertThatThrownBy(() -> d.create("pelagos/c1", Resources.builder().pidsLimit(10).build()))
                .hasMessage("cannot apply --pids-limit: the pids cgroup controller is not mounted (this host has: cpu memory)");
        assertThat(Files.exists(root.resolve("cpu/pelagos"))).isFalse();
    }

    @Test
    void v2FailureHalfwayRemovesWhatItMade() throws Exception {
        // the fake root accepts "+ctrl" but the directories we mkdir have no control files, as if the
        // kernel refused: the first write into the new parent fails and everything made is removed
        Fixture.file(root, "cgroup.controllers", "cpu memory pids\n");
        Fixture.files(root, "cgroup.subtree_control");
        CgroupDriver d = CgroupDriver.detect(root);
        assertThatThrownBy(() -> d.create("pelagos/c1", Resources.builder().memory(64L << 20).build()))
                .isInstanceOf(PelagosException.class);
        assertThat(Fixture.read(root, "cgroup.subtree_control")).isEqualTo("+pids"); // last one written
        assertThat(subdirectories(root)).isEmpty();
    }

    @Test
    void v1FailureHalfwayRemovesWhatItMadeButNotWhatWasThere() throws Exception {
        v1Tree("cpu", "memory", "pids");
        Files.createDirectories(root.resolve("memory/pelagos"));
        CgroupDriver d = CgroupDriver.detect(root);
        assertThatThrownBy(() -> d.create("pelagos/c1", Resources.builder().memory(64L << 20).build()))
                .isInstanceOfSatisfying(PelagosException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThat(subdirectories(root.resolve("cpu"))).isEmpty();
        assertThat(subdirectories(root.resolve("pids"))).isEmpty();
        assertThat(subdirectories(root.resolve("memory"))).containsExactly(root.resolve("memory/pelagos"));
    }

    @Test
    void anExistingCgroupIsAConflictAndAMissingOneIsNotFound() throws Exception {
        Fixture.file(root, "cgroup.controllers", "cpu memory pids\n");
        Files.createDirectories(root.resolve("pelagos/c1"));
        CgroupDriver d = CgroupDriver.detect(root);
        assertThatThrownBy(() -> d.create("pelagos/c1", Resources.none()))
                .isInstanceOfSatisfying(PelagosException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(d.open("pelagos/c1").directories()).containsExactly(root.resolve("pelagos/c1"));
        assertThatThrownBy(() -> d.open("pelagos/c2"))
                .isInstanceOfSatisfying(PelagosException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> d.create("../escape", Resources.none()))
                .hasMessage("invalid cgroup path '../escape': '..' is not allowed");
    }

    @Test
    void destroyIsIdempotent() throws Exception {
        Fixture.file(root, "cgroup.controllers", "cpu memory pids\n");
        Fixture.files(root.resolve("pelagos/c1"), "cgroup.procs");
        Cgroup c = CgroupDriver.detect(root).open("pelagos/c1");
        c.destroy();
        assertThat(c.exists()).isFalse();
        c.destroy();
        assertThat(Files.exists(root.resolve("pelagos"))).isTrue();
    }

    private static java.util.List<Path> subdirectories(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir) && Files.isDirectory(p)).toList();
        }
    }
}
