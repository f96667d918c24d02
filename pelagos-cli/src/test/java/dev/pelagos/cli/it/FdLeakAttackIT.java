package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack (CVE-2024-21626 "Leaky Vessels"): descriptors open in the runtime leak into the
 * container, and a working directory of /proc/self/fd/N puts the process on the host's filesystem.
 * pelagos is started with extra inherited descriptors (a host directory, a host file, a duplicate
 * of stdout); the container must see only 0-2, its cwd must be inside the container, and
 * `-w /proc/self/fd/N` must fail or stay inside. A failure means a container can reach the host's
 * filesystem through a runtime descriptor.
 */
class FdLeakAttackIT {
    @TempDir
    Path tmp;
    private Pelagos pelagos;

    @BeforeEach
    void setUp() {
        pelagos = new Pelagos(tmp);
    }

    @AfterEach
    void nothingLeft() {
        assertThat(pelagos.leftovers()).isEmpty();
    }

    /** pelagos started by a shell holding fds 5 (a host dir), 6 (a host file), 7 (dup of stdout), 9 (the host root). */
    private Pelagos.Result runWithInheritedFds(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c",
                "exec 5<" + tmp + " 6</etc/hostname 7>&1 9</; exec \"$0\" \"$@\"", Pelagos.launcher().toString()));
        cmd.addAll(List.of(args));
        return pelagos.exec(cmd);
    }

    @Test
    void inheritedDescriptorsDoNotReachTheContainer() {
        Pelagos.Result r = runWithInheritedFds("run", "--rm", "--rootfs", Pelagos.probeRootfs().toString(), "/probe");
        JsonObject report = r.json();
        List<Integer> fds = new ArrayList<>();
        report.getAsJsonArray("fds").forEach(e -> fds.add(e.getAsJsonObject().get("fd").getAsInt()));
        assertThat(fds).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(report.get("cwd").getAsString()).isEqualTo("/");
    }

    @Test
    void workdirThroughProcSelfFdStaysInside() {
        for (int fd = 3; fd <= 9; fd++) {
            String wd = "/proc/self/fd/" + fd;
            Pelagos.Result r = runWithInheritedFds("run", "--rm", "-w", wd, "--rootfs", Pelagos.probeRootfs().toString(), "/probe");
            if (r.code() == 0) {
                String cwd = r.json().get("cwd").getAsString();
                assertThat(cwd).as("cwd for -w %s", wd).doesNotContain("unreachable").doesNotStartWith(tmp.toString());
            } else {
                assertThat(r.code()).as("-w %s; stderr: %s", wd, r.err()).isEqualTo(125);
                Pelagos.assertOneErrorLine(r);
            }
        }
    }

    @Test
    void workdirUpAndOutStaysInside() {
        Pelagos.Result r = pelagos.probe(List.of("-w", "/../../../../../.."));
        assertThat(r.field("cwd")).isEqualTo("/");
    }
}
