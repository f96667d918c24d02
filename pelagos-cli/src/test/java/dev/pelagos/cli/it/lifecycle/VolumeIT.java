package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named volumes through the CLI: {@code volume create|ls|inspect|rm|prune}; {@code run -v NAME:/path}
 * creates the volume on first use, seeds a new volume with the image's content at that path, keeps
 * what containers write across containers, honours {@code :ro}; a volume in use by a container cannot
 * be removed without {@code -f}, and prune keeps volumes in use. A failure means data loss (a volume
 * removed under a container, or not kept), or an image's files missing from its volume.
 */
class VolumeIT {
    private static final String IMAGE = "volimg:1";
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;
    private static String busybox;

    @BeforeAll
    static void setUp() throws Exception {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
        busybox = HostView.busyboxRootfsCopy(tmp).toString();
        TestImages.loadBusybox(pelagos, tmp, IMAGE, "");
    }

    @AfterAll
    static void nothingLeft() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static List<String> volumeNames() {
        Pelagos.Result r = pelagos.run("volume", "ls", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().lines().toList();
    }

    @Test
    void createListInspectRemove() {
        assertThat(pelagos.run("volume", "create", "made").out()).isEqualTo("made\n");
        assertThat(volumeNames()).contains("made");
        JsonArray ls = JsonParser.parseString(pelagos.run("volume", "ls", "--format", "json").out()).getAsJsonArray();
        assertThat(ls.asList()).extracting(e -> name(e)).contains("made");
        Pelagos.Result inspect = pelagos.run("volume", "inspect", "made");
        assertThat(inspect.code()).as(inspect.err()).isZero();
        JsonElement doc = JsonParser.parseString(inspect.out());
        JsonObject v = doc.isJsonArray() ? doc.getAsJsonArray().get(0).getAsJsonObject() : doc.getAsJsonObject();
        assertThat(v.get("Name").getAsString()).isEqualTo("made");
        Path mountpoint = Path.of(v.get("Mountpoint").getAsString());
        assertThat(mountpoint).isDirectory().startsWith(pelagos.dataDir());
        assertThat(pelagos.run("volume", "rm", "made").code()).isZero();
        assertThat(volumeNames()).doesNotContain("made");
        assertThat(mountpoint).doesNotExist();

        Pelagos.Result missing = pelagos.run("volume", "rm", "made");
        assertThat(missing.code()).isNotZero();
        Pelagos.assertOneErrorLine(missing);
        Pelagos.Result bad = pelagos.run("volume", "create", "bad/name");
        assertThat(bad.code()).isNotZero();
        Pelagos.assertOneErrorLine(bad);
    }

    private static String name(JsonElement e) {
        JsonObject o = e.getAsJsonObject();
        return (o.has("Name") ? o.get("Name") : o.get("name")).getAsString();
    }

    @Test
    void aNewVolumeIsSeededFromTheImageAndKeptAcrossContainers() {
        assertThat(volumeNames()).doesNotContain("seeded");
        Pelagos.Result first = pelagos.run("run", "--rm", "-v", "seeded:/data", IMAGE, "sh", "-c",
                "cat /data/seed.txt; echo written > /data/mine.txt");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).as("the image's /data copied into the new volume").isEqualTo("seeded from the image\n");
        assertThat(volumeNames()).as("created on first use").contains("seeded");

        Pelagos.Result second = pelagos.run("run", "--rm", "-v", "seeded:/other:ro", "--rootfs",
                busybox, "sh", "-c", "cat /other/mine.txt /other/seed.txt; touch /other/x");
        assertThat(second.out()).as("kept across containers").isEqualTo("written\nseeded from the image\n");
        assertThat(second.err()).contains("Read-only file system");
        assertThat(second.code()).isNotZero();

        // an existing volume is not re-seeded: what a container deleted stays deleted
        assertThat(pelagos.run("run", "--rm", "-v", "seeded:/data", IMAGE, "rm", "/data/seed.txt").code()).isZero();
        assertThat(pelagos.run("run", "--rm", "-v", "seeded:/data", IMAGE, "ls", "/data").out()).isEqualTo("mine.txt\n");

        // a --rootfs container gets an empty new volume
        assertThat(pelagos.run("run", "--rm", "-v", "fresh:/data", "--rootfs", busybox, "ls", "-A",
                "/data").out()).isEmpty();
        assertThat(pelagos.run("volume", "rm", "seeded", "fresh").code()).isZero();
    }

    @Test
    void aVolumeInUseIsNotRemovedWithoutForce() throws Exception {
        String id = host.runDetached("--name", "user", "-v", "busy:/data", "--rootfs", busybox,
                "sh", "-c", "echo kept > /data/f; sleep 60");
        assertThat(pelagos.run("volume", "create", "idle").code()).isZero();
        String before = host.fingerprint();
        Pelagos.Result refused = pelagos.run("volume", "rm", "busy");
        assertThat(refused.code()).isNotZero();
        Pelagos.assertOneErrorLine(refused);
        assertThat(refused.errLines().getFirst()).contains("busy");
        assertThat(host.fingerprint()).as("a refused rm changes nothing").isEqualTo(before);

        Pelagos.Result pruned = pelagos.run("volume", "prune", "-f");
        assertThat(pruned.code()).as(pruned.err()).isZero();
        assertThat(pruned.out()).contains("idle").doesNotContain("busy");
        assertThat(volumeNames()).contains("busy").doesNotContain("idle");

        assertThat(pelagos.run("rm", "-f", "user").code()).isZero();
        host.assertGone(id);
        assertThat(volumeNames()).as("removing a container keeps its named volume").contains("busy");
        assertThat(pelagos.run("run", "--rm", "-v", "busy:/d", "--rootfs", busybox, "cat", "/d/f")
                .out()).isEqualTo("kept\n");

        String again = host.runDetached("-v", "busy:/data", "--rootfs", busybox, "sleep", "60");
        Pelagos.Result forced = pelagos.run("volume", "rm", "-f", "busy");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(volumeNames()).doesNotContain("busy");
        assertThat(pelagos.run("rm", "-f", again).code()).isZero();
        assertThat(Files.exists(pelagos.dataDir().resolve("volumes/busy"))).isFalse();
    }
}
