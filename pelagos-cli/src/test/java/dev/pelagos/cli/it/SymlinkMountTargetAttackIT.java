package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: a hostile image whose mount targets are symlinks to host paths — /etc/hosts and
 * /etc/hostname to absolute host paths, /etc/resolv.conf climbing out with ../, /proc, /dev and
 * /sys as symlinks, a bind, volume or tmpfs target and a working directory reached through a
 * symlink (pelagos #334/#349, CVE-2026-41579, CVE-2026-47766, CVE-2019-19921, CVE-2024-45310,
 * SECURITY.md §2). Every target must resolve inside the root: the run either works with everything
 * inside the container or fails with one clean error, and the host's trap directories stay empty
 * and unmounted. A failure means an image can make `pelagos run` create or mount files on the host.
 */
class SymlinkMountTargetAttackIT {
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

    /**
     * /etc/hosts, /etc/hostname, /etc/resolv.conf pointing out, where the same path exists inside
     * the root: the files are bound inside the root, the host's trap directory stays empty.
     */
    @Test
    void etcFilesSymlinkedToTheHost() throws Exception {
        HostTraps.arm("etc");
        Path root = Pelagos.hostileCopy("etc-abs-symlinks", tmp);
        Files.createDirectories(root.resolve("tmp/pelagos-attack-etc"));
        Pelagos.Result r;
        Pelagos.Result name;
        try {
            r = pelagos.runIn(root, List.of("--hostname", "trapped"), "/probe", "read", "/etc/hosts");
            name = pelagos.runIn(root, List.of("--hostname", "trapped"), "/probe", "read", "/etc/hostname");
        } finally {
            HostTraps.assertUntouchedAndDisarm("etc");
        }
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("localhost").contains("trapped");
        assertThat(name.line()).isEqualTo("trapped");
        assertThat(root.resolve("tmp/pelagos-attack-etc/hosts")).as("the target made inside the root").exists();
    }

    /** Dangling inside the root too: the run may refuse it, but must not touch the host. */
    @Test
    void etcFilesSymlinkedToAMissingPath() throws Exception {
        HostTraps.arm("etc");
        Path root = Pelagos.hostileCopy("etc-abs-symlinks", tmp);
        assertSucceededOrFailedCleanly(pelagos.runIn(root, List.of(), "/probe", "exit", "0"));
        HostTraps.assertUntouchedAndDisarm("etc");
        Path root2 = Pelagos.hostileCopy("etc-abs-symlinks", Files.createDirectories(tmp.resolve("again")));
        assertSucceededOrFailedCleanly(pelagos.runIn(root2, List.of(), "/probe", "exit", "0"));
        HostTraps.assertAbsent(HostTraps.trap("etc"));
    }

    /**
     * Compatibility (Docker/runc resolve a dangling symlinked target inside the root and create it
     * there): images whose /etc/resolv.conf links to a file that does not exist yet must still run.
     */
    @Test
    void danglingSymlinkTargetsAreCreatedInsideTheRootLikeDocker() throws Exception {
        Path root = Pelagos.hostileCopy("etc-abs-symlinks", tmp);
        Pelagos.Result r = pelagos.runIn(root, List.of("--hostname", "made"), "/probe", "read", "/etc/hostname");
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        assertThat(r.line()).isEqualTo("made");
        assertThat(root.resolve("tmp/pelagos-attack-etc/hostname")).exists();
        Path mnt = Pelagos.hostileCopy("mnt-symlink", tmp);
        Pelagos.Result t = pelagos.runIn(mnt, List.of("--tmpfs", "/mnt/escape/t", "-w", "/mnt/escape-rel/w"), "/probe");
        assertThat(t.code()).as("stderr: %s", t.err()).isZero();
        assertThat(t.field("cwd")).isEqualTo("/tmp/pelagos-attack-vol/w");
        HostTraps.assertAbsent(HostTraps.trap("vol"));
    }

    /** /proc, /dev and /sys that are symlinks are refused (runc: "must be mounted on ordinary directory"). */
    @Test
    void kernelFilesystemTargetsThatAreSymlinks() throws Exception {
        for (String[] c : new String[][] {{"proc-symlink", "proc"}, {"dev-symlink", "dev"}, {"sys-symlink", "sys"}}) {
            HostTraps.arm(c[1]);
            Path root = Pelagos.hostileCopy(c[0], tmp);
            Pelagos.Result r = pelagos.runIn(root, List.of(), "/probe", "exit", "0");
            assertThat(r.code()).as("%s; stderr: %s", c[0], r.err()).isEqualTo(125);
            Pelagos.assertOneErrorLine(r);
            assertThat(r.errLines().getFirst()).contains("/" + c[1]);
            HostTraps.assertUntouchedAndDisarm(c[1]);
        }
    }

    /** Bind, volume and tmpfs targets reached through symlinks out of the root land inside it. */
    @Test
    void userMountTargetsThroughSymlinks() throws Exception {
        HostTraps.arm("vol");
        Path root = Pelagos.hostileCopy("mnt-symlink", tmp);
        Files.createDirectories(root.resolve("tmp/pelagos-attack-vol"));
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("marker"), "mounted");
        List<String> opts = List.of("--bind", src + ":/mnt/escape/sub", "-v", src + ":/mnt/escape-rel/v:ro", "--tmpfs",
                "/mnt/escape/t", "-v", "named:/mnt/escape/named");
        Pelagos.Result r;
        Pelagos.Result ro;
        try {
            r = pelagos.runIn(root, opts, "/probe", "read", "/mnt/escape/sub/marker");
            ro = pelagos.runIn(root, opts, "/probe", "write", "/mnt/escape-rel/v/marker", "changed");
        } finally {
            HostTraps.assertUntouchedAndDisarm("vol");
        }
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).isEqualTo("mounted");
        assertThat(ro.line()).as("the :ro volume through a symlink is read-only").isEqualTo("EROFS 30");
        assertThat(src.resolve("marker")).hasContent("mounted");
        assertThat(root.resolve("tmp/pelagos-attack-vol/sub")).isDirectory();
    }

    /** Dangling user mount targets and working directories: refused or made inside, never on the host. */
    @Test
    void danglingUserTargetsNeverReachTheHost() throws Exception {
        HostTraps.arm("vol", "workdir");
        Path root = Pelagos.hostileCopy("mnt-symlink", tmp);
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (List<String> opts : List.of(List.of("--bind", src + ":/mnt/escape/sub"), List.of("-v", "named:/mnt/escape-rel/v"),
                List.of("--tmpfs", "/mnt/escape/t"), List.of("-w", "/mnt/escape/w"))) {
            assertSucceededOrFailedCleanly(pelagos.runIn(root, opts, "/probe", "exit", "0"));
        }
        Path wd = Pelagos.hostileCopy("workdir-symlink", tmp);
        assertSucceededOrFailedCleanly(pelagos.runIn(wd, List.of("-w", "/work/deeper"), "/probe", "exit", "0"));
        HostTraps.assertUntouchedAndDisarm("vol", "workdir");
    }

    private static void assertSucceededOrFailedCleanly(Pelagos.Result r) {
        assertThat(r.code()).as("stderr: %s", r.err()).isIn(0, 125);
        if (r.code() == 125) {
            Pelagos.assertOneErrorLine(r);
        }
    }

    /** A working directory through a symlink to a host path is created inside the root. */
    @Test
    void workdirThroughASymlink() throws Exception {
        HostTraps.arm("workdir");
        Path root = Pelagos.hostileCopy("workdir-symlink", tmp);
        Files.createDirectories(root.resolve("tmp/pelagos-attack-workdir"));
        Pelagos.Result r = pelagos.runIn(root, List.of("-w", "/work/deeper"), "/probe");
        assertThat(r.field("cwd")).isEqualTo("/tmp/pelagos-attack-workdir/deeper");
        assertThat(root.resolve("tmp/pelagos-attack-workdir/deeper")).isDirectory();
        HostTraps.assertUntouchedAndDisarm("workdir");
    }
}
