package dev.pelagos.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesANewFileCreatingItsDirectories() throws IOException {
        Path f = dir.resolve("a/b/state.json");
        AtomicFiles.write(f, "{\"x\":1}");
        assertThat(f).hasContent("{\"x\":1}");
        assertThat(siblingsOf(f)).containsExactly("state.json");
    }

    @Test
    void replacesContentWholeAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("pid");
        AtomicFiles.write(f, "a much longer first content");
        AtomicFiles.write(f, "short".getBytes(StandardCharsets.UTF_8));
        assertThat(f).hasContent("short");
        assertThat(siblingsOf(f)).containsExactly("pid");
    }

    @Test
    void replacesASymlinkInsteadOfWritingThroughIt() throws IOException {
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "untouched");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, victim);
        AtomicFiles.write(link, "new");
        assertThat(victim).hasContent("untouched");
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(link).hasContent("new");
    }

    @Test
    void concurrentWritersNeverProduceATornFile() throws Exception {
        Path f = dir.resolve("config");
        String a = "A".repeat(200_000);
        String b = "B".repeat(100_000);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            String content = i % 2 == 0 ? a : b;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int j = 0; j < 10; j++) {
                        AtomicFiles.write(f, content);
                    }
                } catch (IOException e) {
                    errors.add(e);
                }
            }));
        }
        for (int j = 0; j < 50; j++) {
            if (Files.exists(f)) {
                String seen = Files.readString(f);
                assertThat(seen).isIn(a, b);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(Files.readString(f)).isIn(a, b);
        assertThat(siblingsOf(f)).containsExactly("config");
    }

    private static List<String> siblingsOf(Path f) throws IOException {
        try (Stream<Path> s = Files.list(f.getParent())) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
