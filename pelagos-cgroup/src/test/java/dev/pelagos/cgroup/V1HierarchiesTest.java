package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mounted v1 hierarchy is joined, a prepared cgroup is completed, exec picks sub-cgroups. */
class V1HierarchiesTest {
    @TempDir
    Path root;

    private void hybridTree() throws Exception {
        for (String h : List.of("cpu,cpuacct", "memory", "devices", "systemd")) {
            Fixture.files(root.resolve(h), "cgroup.procs");
        }
        Files.createSymbolicLink(root.resolve("cpu"), Path.of("cpu,cpuacct"));
        Files.createSymbolicLink(root.resolve("cpuacct"), Path.of("cpu,cpuacct"));
        Fixture.files(root.resolve("unified"), "cgroup.controllers", "cgroup.procs");
    }

    @Test
    void aContainerGetsADirectoryInEveryHierarchyIncludingNamedAndTheHybridCgroup2() throws Exception {
        hybridTree();
        Cgroup c = CgroupDriver.detect(root).create("pelagos/c1", Resources.none());
        assertThat(c.directories()).containsExactly(root.resolve("cpu,cpuacct/pelagos/c1"), root.resolve("memory/pelagos/c1"),
                root.resolve("devices/pelagos/c1"), root.resolve("systemd/pelagos/c1"), root.resolve("unified/pelagos/c1"));
        assertThat(c.procsFiles()).hasSize(5);
        c.destroy();
        for (String h : List.of("cpu,cpuacct", "memory", "devices", "systemd", "unified")) {
            assertThat(root.resolve(h + "/pelagos/c1")).doesNotExist();
        }
    }

    @Test
    void aCgroupPreparedInOneHierarchyIsJoinedAndCompletedWithTheLimitsOfAnyController() throws Exception {
        hybridTree();
        Fixture.files(root.resolve("cpu,cpuacct/pelagos/c1"), "cpu.shares");
        CgroupDriver d = CgroupDriver.detect(root);
        assertThatThrownBy(() -> d.create("pelagos/c1", Resources.none()))
                .isInstanceOfSatisfying(PelagosException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        Cgroup c = d.join("pelagos/c1", Resources.builder().cpuShares(512).build());
        assertThat(Fixture.read(root.resolve("cpu,cpuacct/pelagos/c1"), "cpu.shares")).isEqualTo("512");
        assertThat(root.resolve("memory/pelagos/c1")).isDirectory();
        // a limit whose control file is missing fails, and only what join made is removed
        Files.delete(root.resolve("memory/pelagos/c1"));
        Files.delete(root.resolve("memory/pelagos"));
        assertThatThrownBy(() -> d.join("pelagos/c1", Resources.builder().pidsLimit(5).build()))
                .isInstanceOfSatisfying(PelagosException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThat(root.resolve("memory/pelagos")).doesNotExist();
        assertThat(root.resolve("cpu,cpuacct/pelagos/c1/cpu.shares")).exists();
        assertThat(c.path()).isEqualTo("pelagos/c1");
    }

    @Test
    void execSubCgroupsPerControllerOrForAll() throws Exception {
        hybridTree();
        Cgroup c = CgroupDriver.detect(root).create("pelagos/c1", Resources.none());
        for (Path d : c.directories()) {
            Fixture.files(d, "cgroup.procs");
        }
        Fixture.files(root.resolve("memory/pelagos/c1/submem"), "cgroup.procs");
        Fixture.files(root.resolve("cpu,cpuacct/pelagos/c1/subcpu"), "cgroup.procs");
        List<Path> procs = c.procsFiles(SubCgroups.parse(List.of("memory:submem", "cpu,cpuacct:subcpu")));
        assertThat(procs).containsExactly(root.resolve("cpu,cpuacct/pelagos/c1/subcpu/cgroup.procs"),
                root.resolve("memory/pelagos/c1/submem/cgroup.procs"), root.resolve("devices/pelagos/c1/cgroup.procs"),
                root.resolve("systemd/pelagos/c1/cgroup.procs"), root.resolve("unified/pelagos/c1/cgroup.procs"));
        assertThat(c.procsFiles(SubCgroups.parse(List.of("/")))).isEqualTo(c.procsFiles());
        assertThatThrownBy(() -> c.procsFiles(SubCgroups.parse(List.of("nonexistent"))))
                .hasMessageContaining("/pelagos/c1/nonexistent/cgroup.procs: no such file or directory");
        assertThatThrownBy(() -> c.procsFiles(SubCgroups.parse(List.of("whaaat:/")))).hasMessageStartingWith("unknown controller whaaat");
        assertThatThrownBy(() -> c.procsFiles(SubCgroups.parse(List.of("cpu:subcpu", "cpuacct:other"))))
                .hasMessageContaining("share a hierarchy");
    }

    @Test
    void subCgroupPathsStayInsideTheContainersCgroup() throws PelagosException {
        assertThat(SubCgroups.parse(List.of()).isEmpty()).isTrue();
        assertThat(SubCgroups.parse(List.of("/a/./b/", "memory,pids:m"))).isEqualTo(
                new SubCgroups("a/b", java.util.Map.of("memory", "m", "pids", "m")));
        assertThatThrownBy(() -> SubCgroups.parse(List.of(".."))).hasMessageContaining(" .. is not a sub cgroup path");
        assertThatThrownBy(() -> SubCgroups.parse(List.of("memory:a/../../b"))).hasMessageContaining("is not a sub cgroup path");
        assertThatThrownBy(() -> SubCgroups.parse(List.of("memory:a", "memory:b"))).hasMessageContaining("memory is given twice");
        assertThatThrownBy(() -> SubCgroups.parse(List.of(",cpu:a"))).hasMessageContaining("empty controller name");
    }
}
