package dev.pelagos.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void aTreeGoesAndWhatItsSymlinksPointAtStays() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("kept"), "x");
        Path top = Files.createDirectories(tmp.resolve("top/a/b"));
        Files.writeString(top.resolve("file"), "y");
        Files.createSymbolicLink(tmp.resolve("top/a/link"), outside.getParent());
        FileTrees.delete(tmp.resolve("top"));
        assertThat(tmp.resolve("top")).doesNotExist();
        assertThat(outside).hasContent("x");
        FileTrees.delete(tmp.resolve("top")); // gone already: nothing to do
    }
}
