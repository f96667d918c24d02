package dev.pelagos.image.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.image.ImagePuller;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.LocalImage;
import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.PullOptions;
import dev.pelagos.image.testing.BusyboxImages;
import dev.pelagos.image.testing.LocalRegistry;
import dev.pelagos.image.testing.PullMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a pull, then pull again: the second pull must finish with a correct
 * image (every layer verified against its diff-id), reuse what the first had, and leave no
 * partial files. A failure means a crash can leave a store that is corrupt or trusted half-done.
 */
class CrashRecoveryIT {
    @TempDir
    Path work;

    @Test
    void sigkillDuringPullThenPullAgainGivesACorrectImage() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(work.resolve("registry")), null, null)) {
            Path layout = BusyboxImages.build(Files.createDirectories(work.resolve("image")), "1", List.of(24L << 20, 2L << 20));
            BusyboxImages.push(layout, "1", registry.host() + "/crash:1", null);
            Path data = work.resolve("data");
            String ref = registry.host() + "/crash:1";
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), PullMain.class.getName(),
                    data.toString(), ref, String.valueOf(4L << 20)).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("STALLED")) {
                    // wait until the big layer is half-way down
                }
                assertThat(line).as("child pull reached the stall point").isEqualTo("STALLED");
                child.destroyForcibly(); // SIGKILL: no finally blocks, no shutdown hooks
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            ImageStore store = ImageStore.open(data);
            assertThat(store.find(ref)).as("a killed pull names nothing").isEmpty();
            try (Stream<Path> partials = Files.list(data.resolve("images/.partial"))) {
                assertThat(partials.toList()).as("the killed pull left its partial download").isNotEmpty();
            }
            LocalImage img = new ImagePuller(store).pull(ref, PullOptions.DEFAULT, ProgressListener.NONE).image();
            assertThat(img.layerDirs()).hasSize(3).allSatisfy(d -> assertThat(d).isDirectory());
            assertThat(Files.size(img.layerDirs().get(1).resolve("data/blob0"))).isEqualTo(24L << 20);
            try (Stream<Path> partials = Files.list(data.resolve("images/.partial"))) {
                assertThat(partials.toList()).isEmpty();
            }
            try (Stream<Path> layers = Files.list(data.resolve("layers"))) {
                assertThat(layers.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
            }
        }
    }
}
