package dev.pelagos.runtime.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution inside a root behaves like the kernel inside the container: nothing ever leaves the root. */
class ConfinedPathTest {
    @TempDir
    Path tmp;
    private Path root;
    private Path outside;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host secret");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createDirectories(root.resolve("usr/lib"));
    }

    private Optional<Path> resolve(String p) throws IOException {
        return ConfinedPath.resolve(root, p);
    }

    @Test
    void plainPaths() throws IOException {
        assertThat(resolve("/etc/passwd")).contains(root.resolve("etc/passwd"));
        assertThat(resolve("etc/passwd")).contains(root.resolve("etc/passwd"));
        assertThat(resolve("//etc/./passwd")).contains(root.resolve("etc/passwd"));
        assertThat(resolve("/")).contains(root);
        assertThat(resolve("/etc/missing")).isEmpty();
        assertThat(resolve("/etc/passwd/x")).isEmpty();
    }

    @Test
    void dotDotStopsAtTheRoot() throws IOException {
        assertThat(resolve("/../../../etc/passwd")).contains(root.resolve("etc/passwd"));
        assertThat(resolve("/usr/lib/../../etc/passwd")).contains(root.resolve("etc/passwd"));
        assertThat(resolve("/..")).contains(root);
    }

    @Test
    void absoluteSymlinkRestartsAtTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside.resolve("secret"));
        assertThat(resolve("/link")).isEmpty();
        // when the same path exists inside the root, that is what the container sees
        Path inside = root.resolve(outside.toString().substring(1));
        Files.createDirectories(inside);
        Files.writeString(inside.resolve("secret"), "container file");
        assertThat(resolve("/link")).contains(inside.resolve("secret"));
    }

    @Test
    void relativeUpAndOutSymlinkIsClamped() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/escape"), Path.of("../../../../../../../../" + outside.toString().substring(1) + "/secret"));
        assertThat(resolve("/etc/escape")).isEmpty();
        Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../../../../etc/passwd"));
        assertThat(resolve("/etc/up")).contains(root.resolve("etc/passwd"));
    }

    @Test
    void symlinkedDirectoriesInTheMiddle() throws IOException {
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Files.writeString(root.resolve("usr/lib/libc.so"), "x");
        assertThat(resolve("/lib/libc.so")).contains(root.resolve("usr/lib/libc.so"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/usr"));
        assertThat(resolve("/abs/lib/../lib/libc.so")).contains(root.resolve("usr/lib/libc.so"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        assertThat(resolve("/out/secret")).isEmpty();
    }

    @Test
    void dotDotAfterASymlinkedDirectoryFollowsTheTarget() throws IOException {
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        // the kernel resolves lib -> usr/lib first, so lib/.. is /usr
        Files.writeString(root.resolve("usr/marker"), "x");
        assertThat(resolve("/lib/../marker")).contains(root.resolve("usr/marker"));
    }

    @Test
    void loopsFailInsteadOfSpinning() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));
        assertThatThrownBy(() -> resolve("/a")).isInstanceOf(IOException.class).hasMessageContaining("too many levels");
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
        assertThatThrownBy(() -> resolve("/self/x")).isInstanceOf(IOException.class);
    }

    @Test
    void danglingSymlinkIsMissing() throws IOException {
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere/at/all"));
        assertThat(resolve("/dangling")).isEmpty();
    }

    @Test
    void resultIsAlwaysInsideTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("x1"), Path.of("/.."));
        Files.createSymbolicLink(root.resolve("x2"), Path.of("../.."));
        Files.createSymbolicLink(root.resolve("x3"), Path.of("x2/../../x1"));
        for (String p : new String[] {"/x1", "/x2", "/x3", "/x3/..", "/x1/etc/passwd"}) {
            Optional<Path> r = resolve(p);
            assertThat(r).as(p).isPresent();
            assertThat(r.get().normalize()).as(p).startsWith(root);
        }
    }
}
