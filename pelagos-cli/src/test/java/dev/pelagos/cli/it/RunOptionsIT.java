package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process and filesystem options of `pelagos run` take effect inside the container: -e,
 * --env-file, -w, -u (numbers and names from the image's /etc/passwd), --group-add, --ulimit,
 * --sysctl, --hostname, --read-only, --tmpfs, --bind, --bind-ro and -v (host paths and named
 * volumes). A failure means a documented flag is ignored or does something else than Docker's.
 */
class RunOptionsIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static Path rootfs;

    @BeforeAll
    static void setUp() throws Exception {
        pelagos = new Pelagos(tmp);
        rootfs = Pelagos.probeRootfsCopy(tmp);
    }

    private static Pelagos.Result probe(List<String> options, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/probe"));
        cmd.addAll(List.of(args));
        return pelagos.runIn(rootfs, options, cmd.toArray(String[]::new));
    }

    @AfterAll
    static void nothingLeft() {
        if (pelagos != null) {
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    @Test
    void environment() throws IOException {
        Path envFile = Files.writeString(tmp.resolve("env"), "# comment\nFROM_FILE=1\nSHARED=file\n\n");
        List<String> opts = List.of("--env-file", envFile.toString(), "-e", "SHARED=flag", "-e", "A=b c", "--hostname", "box");
        List<String> env = probe(opts, "env").out().lines().toList();
        assertThat(env).contains("FROM_FILE=1", "SHARED=flag", "A=b c", "HOSTNAME=box", "HOME=/root",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        assertThat(env).doesNotContain("SHARED=file");
        // -e KEY copies the caller's value: the launcher passes PELAGOS_DATA_DIR through
        List<String> copied = probe(List.of("-e", "PELAGOS_DATA_DIR"), "env").out().lines().toList();
        assertThat(copied).contains("PELAGOS_DATA_DIR=" + pelagos.dataDir());
        // nothing else of the caller's environment leaks in
        assertThat(env).noneMatch(l -> l.startsWith("PELAGOS_") || l.startsWith("JAVA_"));
    }

    @Test
    void workdirIsCreatedInsideTheRootAndUsed() {
        JsonObject r = probe(List.of("-w", "/srv/app/data")).json();
        assertThat(r.get("cwd").getAsString()).isEqualTo("/srv/app/data");
        assertThat(rootfs.resolve("srv/app/data")).as("created inside the root, like a mount point in a container layer").isDirectory();
    }

    @Test
    void userByNumberAndByName() {
        JsonObject num = probe(List.of("-u", "1234:5678")).json();
        assertThat(num.get("uid").getAsInt()).isEqualTo(1234);
        assertThat(num.get("gid").getAsInt()).isEqualTo(5678);
        assertThat(ints(num.getAsJsonArray("groups"))).containsExactly(5678);

        JsonObject alice = probe(List.of("-u", "alice")).json();
        assertThat(alice.get("uid").getAsInt()).isEqualTo(1000);
        assertThat(alice.get("gid").getAsInt()).isEqualTo(1000);
        assertThat(ints(alice.getAsJsonArray("groups"))).containsExactlyInAnyOrder(1000, 50);
        Pelagos.Result env = probe(List.of("-u", "alice"), "env");
        assertThat(env.code()).as("stderr: %s", env.err()).isZero();
        assertThat(env.out()).contains("HOME=/home/alice");

        JsonObject added = probe(List.of("-u", "nobody", "--group-add", "staff", "--group-add", "4242")).json();
        assertThat(added.get("uid").getAsInt()).isEqualTo(65534);
        assertThat(ints(added.getAsJsonArray("groups"))).containsExactlyInAnyOrder(65534, 50, 4242);
    }

    @Test
    void ulimits() {
        JsonObject r = probe(List.of("--ulimit", "nofile=1024:2048", "--ulimit", "core=0", "--ulimit", "nproc=100:200")).json();
        JsonObject rl = r.getAsJsonObject("rlimits");
        assertThat(ints(rl.getAsJsonArray("nofile"))).containsExactly(1024, 2048);
        assertThat(ints(rl.getAsJsonArray("core"))).containsExactly(0, 0);
        assertThat(ints(rl.getAsJsonArray("nproc"))).containsExactly(100, 200);
    }

    @Test
    void namespacedSysctlIsSetInsideOnly() throws IOException {
        String host = Files.readString(Path.of("/proc/sys/net/core/somaxconn")).strip();
        String value = host.equals("1234") ? "1235" : "1234";
        Pelagos.Result r = probe(List.of("--sysctl", "net.core.somaxconn=" + value), "read", "/proc/sys/net/core/somaxconn");
        assertThat(r.line()).isEqualTo(value);
        assertThat(Files.readString(Path.of("/proc/sys/net/core/somaxconn")).strip()).isEqualTo(host);
    }

    @Test
    void hostnameAndEtcFiles() {
        assertThat(probe(List.of("--hostname", "web-1")).json().get("hostname").getAsString()).isEqualTo("web-1");
        assertThat(probe(List.of("--hostname", "web-1"), "read", "/etc/hostname").line()).isEqualTo("web-1");
        assertThat(probe(List.of("--hostname", "web-1"), "read", "/etc/hosts").out()).contains("localhost").contains("web-1");
    }

    @Test
    void readOnlyRootWithWritableTmpfs() {
        List<String> ro = List.of("--read-only", "--tmpfs", "/scratch:size=1m");
        assertThat(probe(ro, "write", "/newfile", "x").line()).isEqualTo("EROFS 30");
        assertThat(probe(ro, "write", "/scratch/f", "x").line()).isEqualTo("ok");
        assertThat(rootfs.resolve("newfile")).doesNotExist();
        String tmpfs = DefaultsIT.mountAt(probe(ro).mounts(), "/scratch");
        assertThat(tmpfs).contains(" - tmpfs ").contains("size=1024k");
        assertThat(DefaultsIT.mountOptions(tmpfs)).contains("nosuid").contains("nodev").contains("noexec");
    }

    @Test
    void bindMountsReadWriteAndReadOnly() throws IOException {
        Path rw = Files.createDirectories(tmp.resolve("rw"));
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.writeString(ro.resolve("given"), "from host");
        List<String> opts = List.of("--bind", rw + ":/rw", "--bind-ro", ro + ":/ro");
        assertThat(probe(opts, "write", "/rw/out", "from container").line()).isEqualTo("ok");
        assertThat(rw.resolve("out")).hasContent("from container");
        assertThat(probe(opts, "read", "/ro/given").out()).isEqualTo("from host");
        assertThat(probe(opts, "write", "/ro/given", "x").line()).isEqualTo("EROFS 30");
        assertThat(ro.resolve("given")).hasContent("from host");
    }

    @Test
    void volumesHostPathsAndNamed() throws IOException {
        Path host = tmp.resolve("made-by-v");
        assertThat(probe(List.of("-v", host + ":/data"), "write", "/data/f", "1").line()).isEqualTo("ok");
        assertThat(host.resolve("f")).hasContent("1");
        assertThat(probe(List.of("-v", host + ":/data:ro"), "write", "/data/f", "2").line()).isEqualTo("EROFS 30");

        assertThat(probe(List.of("-v", "cache:/cache"), "write", "/cache/kept", "v").line()).isEqualTo("ok");
        assertThat(probe(List.of("-v", "cache:/cache"), "read", "/cache/kept").out()).isEqualTo("v");
        assertThat(pelagos.dataDir().resolve("volumes/cache/_data/kept")).hasContent("v");
    }

    @Test
    void fileBindOverAFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("motd"), "hello");
        assertThat(probe(List.of("--bind-ro", f + ":/etc/motd"), "read", "/etc/motd").out()).isEqualTo("hello");
    }

    private static List<Integer> ints(JsonArray a) {
        List<Integer> l = new ArrayList<>();
        a.forEach(e -> l.add(e.getAsInt()));
        return l;
    }

}
