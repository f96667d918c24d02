package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.Helper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real lifecycle through the helper, as root: create (with a prestart hook, so the helper
 * runs as a child and this JVM survives), state, start, poststart, kill, delete with poststop.
 */
class OciLifecycleIT {
    @TempDir
    Path tmp;
    private Path home;

    @BeforeEach
    void needsRootAndAHelper() {
        String h = System.getProperty("pelagos.home");
        assumeTrue(h != null && Files.isExecutable(Path.of(h, "libexec/pelagos-helper")), "needs a built dist (pelagos.home)");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, cgroups)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static at /bin/busybox");
        home = Path.of(h);
    }

    private Path bundle(String args, String hooks) throws Exception {
        Path b = tmp.resolve("bundle");
        Path rootfs = b.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        for (String d : List.of("proc", "dev", "sys", "tmp")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        for (String a : List.of("sh", "sleep", "true", "cat")) {
            Files.createSymbolicLink(rootfs.resolve("bin/" + a), Path.of("busybox"));
        }
        String spec = OciTemplates.spec(false, 0, 0).replace("\"terminal\": true", "\"terminal\": false")
                .replace("\"args\": [\n      \"sh\"\n    ]", "\"args\": " + args)
                .replace("\"hostname\": \"pelagos\",", "\"hostname\": \"pelagos\",\n  \"hooks\": " + hooks + ",");
        Files.writeString(b.resolve("config.json"), spec);
        return b;
    }

    @Test
    void createStartKillDeleteWithHooks() throws Exception {
        Path out = tmp.resolve("hooks.log");
        String hook = "{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"cat >> " + out + "; echo >> " + out + "\"]}";
        Path b = bundle("[\"sleep\", \"30\"]", "{\"prestart\":[" + hook + "],\"poststart\":[" + hook + "],\"poststop\":[" + hook + "]}");
        OciRuntime rt = new OciRuntime(new OciStore(tmp.resolve("root")), new Helper(home));
        String id = "it-" + ProcessHandle.current().pid();
        OciCreate.create(rt, new OciCreate.Request(id, b, BundlePlanner.Options.create(tmp.resolve("pid"), null, 0, false), false,
                tmp.resolve("seccomp")));
        try {
            OciContainer c = rt.find(id);
            assertThat(c.status()).isEqualTo(OciStatus.CREATED);
            assertThat(Files.readString(tmp.resolve("pid")).trim()).isEqualTo(Integer.toString(c.pid()));
            assertThat(rt.stateJson(id)).contains("\"status\": \"created\"").contains("\"pid\": " + c.pid());
            assertThatThrownBy(() -> rt.delete(id, false)).hasMessageContaining("created");
            assertThat(rt.start(id)).isEmpty();
            assertThat(rt.find(id).status()).isEqualTo(OciStatus.RUNNING);
            assertThatThrownBy(() -> rt.start(id)).hasMessageContaining("not in 'created' state");
            assertThat(rt.pids(id)).contains((long) c.pid());
            rt.kill(id, 9, false);
            for (int i = 0; i < 200 && rt.find(id).status() != OciStatus.STOPPED; i++) {
                Thread.sleep(10);
            }
            assertThat(rt.find(id).status()).isEqualTo(OciStatus.STOPPED);
            assertThatThrownBy(() -> rt.kill(id, 15, false)).hasMessageContaining("not running");
            assertThat(rt.delete(id, false)).isEmpty();
            assertThatThrownBy(() -> rt.find(id)).isInstanceOf(PelagosException.class).hasMessageContaining("does not exist");
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).contains("\"status\":\"created\"").contains("\"id\":\"" + id + "\"");
            assertThat(lines.get(1)).contains("\"status\":\"running\"");
            assertThat(lines.get(2)).contains("\"status\":\"stopped\"");
        } finally {
            rt.delete(id, true);
        }
    }

    @Test
    void aFailingPrestartHookLeavesNothingBehind() throws Exception {
        Path b = bundle("[\"sleep\", \"30\"]", "{\"prestart\":[{\"path\":\"/bin/false\"}]}");
        OciRuntime rt = new OciRuntime(new OciStore(tmp.resolve("root")), new Helper(home));
        String id = "it-fail-" + ProcessHandle.current().pid();
        assertThatThrownBy(() -> OciCreate.create(rt, new OciCreate.Request(id, b, BundlePlanner.Options.create(null, null, 0, false),
                false, tmp.resolve("seccomp")))).hasMessageContaining("error running hook #0 (prestart ");
        assertThat(rt.store().exists(id)).isFalse();
        assertThat(Path.of("/sys/fs/cgroup/pids", OciCgroups.OWN_PARENT, id)).doesNotExist();
    }
}
