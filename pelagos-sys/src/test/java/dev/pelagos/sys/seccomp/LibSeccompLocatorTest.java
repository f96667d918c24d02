package dev.pelagos.sys.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibSeccompLocatorTest {

    @Test
    void versionComesFromTheFileTheSonameLinkResolvesTo(@TempDir Path dir) throws Exception {
        Path real = Files.write(dir.resolve("libseccomp.so.2.6.1"), new byte[] {1, 2, 3});
        Files.createSymbolicLink(dir.resolve("libseccomp.so.2"), real.getFileName());

        LibSeccompLocator.Installed found = LibSeccompLocator.findIn(List.of(dir.resolve("missing"), dir)).orElseThrow();

        assertThat(found.path()).isEqualTo(dir.resolve("libseccomp.so.2"));
        assertThat(found.version()).isEqualTo("2.6.1");
    }

    @Test
    void aPlainFileGetsAStampThatChangesWithItsSize(@TempDir Path dir) throws Exception {
        Path lib = Files.write(dir.resolve("libseccomp.so.2"), new byte[] {1, 2, 3});
        String first = LibSeccompLocator.findIn(List.of(dir)).orElseThrow().version();
        Files.write(lib, new byte[] {1, 2, 3, 4});
        String second = LibSeccompLocator.findIn(List.of(dir)).orElseThrow().version();

        assertThat(first).startsWith("unversioned-3-");
        assertThat(second).startsWith("unversioned-4-");
    }

    @Test
    void nothingFoundIsEmpty(@TempDir Path dir) {
        assertThat(LibSeccompLocator.findIn(List.of(dir))).isEmpty();
    }

    @Test
    void searchesTheMultiarchDirectoryFirst() {
        assertThat(LibSeccompLocator.searchDirectories("amd64").getFirst()).isEqualTo(Path.of("/usr/lib/x86_64-linux-gnu"));
        assertThat(LibSeccompLocator.searchDirectories("aarch64").getFirst()).isEqualTo(Path.of("/usr/lib/aarch64-linux-gnu"));
    }
}
