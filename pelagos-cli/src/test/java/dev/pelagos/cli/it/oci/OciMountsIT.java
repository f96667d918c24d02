package dev.pelagos.cli.it.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An OCI bundle's mounts as runc makes them: read-only /dev, recursive options, --no-pivot, user namespaces. */
class OciMountsIT {
    @TempDir
    Path tmp;

    @BeforeEach
    void usable() {
        OciBundle.assumeUsable();
    }

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void aReadOnlyDevStillGetsItsDevicesAndSymlinks() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            b.mount("/dev").getAsJsonArray("options").add("ro");
            b.args("sh", "-c", "test -c /dev/null && test -L /dev/fd && echo devices; touch /dev/new 2>&1; true");
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).startsWith("devices\n").contains("Read-only file system");
        }
    }

    @Test
    void rroMakesTheMountsUnderABindReadOnlyToo() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        assertThat(sh("mount", "-t", "tmpfs", "tmpfs", src.resolve("sub").toString())).isZero();
        try (OciBundle b = new OciBundle(tmp)) {
            b.addBind(src.toString(), "/mnt", "rbind", "rro");
            b.args("sh", "-c", "touch /mnt/sub/x 2>&1; touch /mnt/y 2>&1; true");
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out().lines().filter(l -> l.contains("Read-only file system"))).hasSize(2);
            assertThat(src.resolve("sub/x")).doesNotExist();
        } finally {
            sh("umount", src.resolve("sub").toString());
        }
    }

    /**
     * With --no-pivot the host's mounts would stay in the container's mount namespace under the
     * chroot, and a fully visible host /proc lets a new user namespace mount an unmasked proc.
     */
    @Test
    void noPivotLeavesNoHostProcToMountAFreshProcFrom() throws Exception {
        try (OciBundle b = new OciBundle(tmp)) {
            // CAP_SETFCAP: a user namespace's root may only be mapped with it (unshare -r)
            JsonObject caps = b.process().getAsJsonObject("capabilities");
            caps.getAsJsonArray("bounding").add("CAP_SETFCAP");
            caps.getAsJsonArray("permitted").add("CAP_SETFCAP");
            b.args("unshare", "-mrpf", "sh", "-c", "mount -t proc none /proc && echo mounted");
            OciBundle.Result r = b.pelagos("run", "--no-pivot", b.newId());
            assertThat(r.out()).doesNotContain("mounted");
            assertThat(r.all()).containsIgnoringCase("mount: permission denied");
            assertThat(r.code()).isNotZero();
        }
    }

    /**
     * In a user namespace the container's root is nobody on the host: a bind source only host root
     * can reach is opened before the switch, and on cgroup v1 /sys/fs/cgroup binds the container's
     * own cgroups (the kernel refuses a cgroupfs mount from a user namespace without its cgroup namespace).
     */
    @Test
    void aUserNamespaceGetsInaccessibleBindSourcesAndItsOwnCgroups() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/pids/")) && !Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")),
                "needs cgroup v1 (a pids hierarchy)");
        Path hidden = tmp.resolve("hidden");
        Files.createDirectories(hidden.resolve("dir"));
        Files.writeString(hidden.resolve("dir/foo.txt"), "secret\n");
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        try (OciBundle b = new OciBundle(tmp)) {
            // the container's root (host 100000) must be able to reach the bundle, and cannot create the target
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(b.rootfs.resolve("tmp/mount-1"));
            JsonObject linux = b.config.getAsJsonObject("linux");
            JsonObject userNs = new JsonObject();
            userNs.addProperty("type", "user");
            linux.getAsJsonArray("namespaces").add(userNs);
            linux.add("uidMappings", OciBundle.idMap(0, 100000, 65536));
            linux.add("gidMappings", OciBundle.idMap(0, 100000, 65536));
            b.addBind(hidden.resolve("dir").toString(), "/tmp/mount-1", "bind");
            b.args("sh", "-c", "cat /tmp/mount-1/foo.txt && cat /sys/fs/cgroup/pids/tasks >/dev/null && ls /sys/fs/cgroup/pids");
            OciBundle.Result r = b.pelagos("run", b.newId());
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(r.out()).startsWith("secret\n").contains("pids.max");
            // the container's own cgroup is the root of what it sees, not the host's hierarchy
            assertThat(r.out()).doesNotContain("pelagos-oci");
        }
    }
}
