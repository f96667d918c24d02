package dev.pelagos.cli.it.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idmapped bind mounts (runtime-spec 1.2): the kernel shows a file whose on-disk owner is k as
 * the host id k maps to through the mount's mapping ({containerID: k, hostID: h} gives h), and the
 * container sees that host id through its own user namespace; a file created through the mount
 * lands on disk with the reverse mapping. Nothing may stay behind on the host: no mount, no
 * process in the mount's user namespace.
 */
class OciIdmapIT {
    /** The mount's mapping: on-disk 1000 is host 100000, the container's root below. */
    private static final String MOUNT_MAP = "1000 100000 1";

    @TempDir
    Path tmp;
    private Path src;
    private List<String> mountsBefore;

    @BeforeEach
    void source() throws Exception {
        OciBundle.assumeUsable();
        assumeTrue(new String(Files.readAllBytes(Path.of("/proc/filesystems"))).contains("tmpfs"), "needs tmpfs");
        // the container's root (host 100000) must reach the bundle and the source
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        src = tmp.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("mine"), "hello\n");
        Files.writeString(src.resolve("other"), "x\n");
        chown(src, 1000);
        chown(src.resolve("mine"), 1000);
        chown(src.resolve("other"), 2000);
        mountsBefore = mountsUnder(tmp);
    }

    @AfterEach
    void nothingLeftOnTheHost() throws Exception {
        if (src == null) {
            return;
        }
        assertThat(mountsUnder(tmp)).as("mounts under the test directory").isEqualTo(mountsBefore);
        assertThat(processesMapped(MOUNT_MAP)).as("processes left in a mount's user namespace").isEmpty();
        Path state = tmp.resolve("state");
        if (Files.isDirectory(state)) {
            try (Stream<Path> s = Files.list(state)) {
                assertThat(s.filter(Files::isDirectory).toList()).as("containers left in the state root").isEmpty();
            }
        }
    }

    private static void chown(Path p, int id) throws Exception {
        assertThat(sh("chown", id + ":" + id, p.toString())).isZero();
    }

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** Mount points (mountinfo field 5) at or under dir, in the helper's (the host's) mount namespace. */
    private static List<String> mountsUnder(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            if (point.startsWith(dir.toString())) {
                out.add(point);
            }
        }
        return out;
    }

    /** PIDs whose user namespace has exactly this one uid_map line. */
    private static List<String> processesMapped(String line) throws IOException {
        List<String> pids = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(p.resolve("uid_map")).trim().replaceAll("\\s+", " ").equals(line)) {
                        pids.add(p.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return pids;
    }

    /** A container in a user namespace: its 0..65535 are host 100000..165535. */
    private static void userNamespace(OciBundle b) throws IOException {
        userNamespace(b, 100000);
    }

    private static void userNamespace(OciBundle b, int hostBase) throws IOException {
        // its root cannot create mount points in the host-owned root filesystem
        for (String d : List.of("mnt", "r", "t", "c")) {
            Files.createDirectories(b.rootfs.resolve(d));
        }
        JsonObject linux = b.config.getAsJsonObject("linux");
        JsonObject userNs = new JsonObject();
        userNs.addProperty("type", "user");
        linux.getAsJsonArray("namespaces").add(userNs);
        linux.add("uidMappings", OciBundle.idMap(0, hostBase, 65536));
        linux.add("gidMappings", OciBundle.idMap(0, hostBase, 65536));
    }

    private static JsonObject last(OciBundle b) {
        return b.mounts().get(b.mounts().size() - 1).getAsJsonObject();
    }

    private static final String SHOW = "stat -c '%n %u:%g' /mnt /mnt/*";

    @Test
    void filesShowThroughTheMountsMappingAndNewFilesLandWithTheReverseOne() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            userNamespace(b);
            b.addBind(src.toString(), "/mnt", "bind", "idmap");
            last(b).add("uidMappings", OciBundle.idMap(1000, 100000, 1));
            last(b).add("gidMappings", OciBundle.idMap(1000, 100000, 1));
            b.args("sh", "-c", SHOW + " && cat /mnt/mine && touch /mnt/created && mkdir /mnt/dir");
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).as(r.all()).isZero();
            // on-disk 1000 -> host 100000 -> the container's 0; 2000 is mapped by neither: the overflow id
            assertThat(r.out().lines()).containsExactly("/mnt 0:0", "/mnt/mine 0:0", "/mnt/other 65534:65534", "hello");
            // the container's root is host 100000, which the mount writes as on-disk 1000
            assertThat(owner(src.resolve("created"))).isEqualTo("1000:1000");
            assertThat(owner(src.resolve("dir"))).isEqualTo("1000:1000");
        }
    }

    /**
     * A container joining another's user namespace by path becomes root there, like one that makes
     * its own: otherwise what it creates in its own mounts (/dev nodes) fails with EOVERFLOW.
     */
    @Test
    void aContainerJoiningAnotherUserNamespaceByPathStarts() throws Exception {
        try (OciBundle first = new OciBundle(tmp.resolve("first")); OciBundle second = new OciBundle(tmp.resolve("second"))) {
            userNamespace(first, 300000); // its own range: the other tests look for leftovers of 100000's
            first.args("sleep", "60");
            String owner = first.newId();
            OciBundle.Result started = first.pelagos("run", "-d", owner);
            assertThat(started.code()).as(started.all()).isZero();
            String state = first.pelagos("state", owner).out();
            long pid = com.google.gson.JsonParser.parseString(state).getAsJsonObject().get("pid").getAsLong();
            JsonObject userNs = new JsonObject();
            userNs.addProperty("type", "user");
            userNs.addProperty("path", "/proc/" + pid + "/ns/user");
            second.config.getAsJsonObject("linux").getAsJsonArray("namespaces").add(userNs);
            second.args("sh", "-c", "id -u && echo x > /dev/null && cat /proc/self/uid_map");
            OciBundle.Result r = second.pelagos("run", second.newId());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out().lines().toList().getFirst()).isEqualTo("0");
            assertThat(r.out()).contains("300000");
        }
        long deadline = System.currentTimeMillis() + 5_000;
        while (!processesMapped("0 300000 65536").isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(processesMapped("0 300000 65536")).as("both containers are gone").isEmpty();
    }

    private static String owner(Path p) throws IOException {
        return Files.getAttribute(p, "unix:uid") + ":" + Files.getAttribute(p, "unix:gid");
    }

    /** runc 1.2: explicit mappings need no user namespace of the container's. */
    @Test
    void aContainerWithoutAUserNamespaceGetsTheMappingToo() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            b.addBind(src.toString(), "/mnt", "bind");
            last(b).add("uidMappings", OciBundle.idMap(1000, 0, 1));
            last(b).add("gidMappings", OciBundle.idMap(1000, 0, 1));
            b.args("sh", "-c", "stat -c '%n %u:%g' /mnt/mine && touch /mnt/created");
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).isEqualTo("/mnt/mine 0:0\n");
            assertThat(owner(src.resolve("created"))).isEqualTo("1000:1000");
        }
    }

    /** ridmap maps the mounts under the source too; idmap on an rbind only the top one; alone they take the container's mapping. */
    @Test
    void ridmapReachesSubmountsAndIdmapAloneUsesTheContainersMapping() throws Exception {
        Path sub = src.resolve("sub");
        Files.createDirectories(sub);
        assertThat(sh("mount", "-t", "tmpfs", "-o", "uid=1000,gid=1000,size=1m", "tmpfs", sub.toString())).isZero();
        try (OciBundle b = new OciBundle(tmp)) {
            userNamespace(b);
            b.addBind(src.toString(), "/r", "rbind", "ridmap");
            last(b).add("uidMappings", OciBundle.idMap(1000, 100000, 1));
            last(b).add("gidMappings", OciBundle.idMap(1000, 100000, 1));
            b.addBind(src.toString(), "/t", "rbind", "idmap");
            last(b).add("uidMappings", OciBundle.idMap(1000, 100000, 1));
            last(b).add("gidMappings", OciBundle.idMap(1000, 100000, 1));
            // no mappings: the container's 0..65535 -> 100000.., so on-disk 1000 is the container's 1000
            b.addBind(src.toString(), "/c", "bind", "idmap");
            b.args("sh", "-c", "stat -c '%n %u:%g' /r/sub /t /t/sub /c/mine");
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out().lines()).containsExactly("/r/sub 0:0", "/t 0:0", "/t/sub 65534:65534", "/c/mine 1000:1000");
        } finally {
            sh("umount", sub.toString());
        }
        assertThat(processesMapped("0 100000 65536")).as("the container's namespace is gone").isEmpty();
    }

    @Test
    void mappingsOnANonBindMountAreRefusedBeforeAnythingIsMade() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            JsonObject m = new JsonObject();
            m.addProperty("destination", "/scratch");
            m.addProperty("type", "tmpfs");
            m.addProperty("source", "tmpfs");
            m.add("uidMappings", OciBundle.idMap(0, 100000, 10));
            m.add("gidMappings", OciBundle.idMap(0, 100000, 10));
            b.mounts().add(m);
            int index = b.mounts().size() - 1;
            OciBundle.Result r = b.pelagos("create", b.newId());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("mounts[" + index + "].uidMappings").contains("must be bind mounts");
            assertThat(r.err().lines().filter(l -> l.startsWith("pelagos: error:"))).hasSize(1);
        }
    }

    @Test
    void overlappingMappingsAreRefused() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            b.addBind(src.toString(), "/mnt", "bind", "idmap");
            JsonArray uids = OciBundle.idMap(0, 100000, 100);
            uids.addAll(OciBundle.idMap(50, 300000, 10));
            last(b).add("uidMappings", uids);
            last(b).add("gidMappings", OciBundle.idMap(0, 100000, 100));
            int index = b.mounts().size() - 1;
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("mounts[" + index + "].uidMappings[1] overlaps mounts[" + index + "].uidMappings[0]");
        }
    }

    /** sysfs has no idmapped mounts: the helper says so, and the mount's namespace and the container are gone. */
    @Test
    void aFilesystemWithoutIdmapSupportFailsClearly() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            userNamespace(b);
            b.addBind("/sys/kernel", "/mnt", "bind");
            last(b).add("uidMappings", OciBundle.idMap(1000, 100000, 1));
            last(b).add("gidMappings", OciBundle.idMap(1000, 100000, 1));
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).as(r.all()).isEqualTo(1);
            assertThat(r.err()).contains("idmapped mount of /sys/kernel on /mnt: the sysfs filesystem does not support idmapped mounts");
        }
    }
}
