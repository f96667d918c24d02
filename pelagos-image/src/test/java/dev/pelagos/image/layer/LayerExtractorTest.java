package dev.pelagos.image.layer;

import dev.pelagos.sys.FileOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pelagos.image.testing.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile layer tarballs in the style of containerd's TestBreakouts: every case checks that the
 * victim outside the target is untouched (content, mode, link count) and that nothing new appears
 * outside the target.
 */
class LayerExtractorTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path base;
    Path root;
    Path outside;
    Path victim;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(base.resolve("root"));
        outside = Files.createDirectory(base.resolve("outside"));
        victim = Files.writeString(outside.resolve("victim"), "precious");
        Files.setAttribute(victim, "unix:mode", 0600);
    }

    private void extract(TarBuilder tar) throws Exception {
        new LayerExtractor(root).extract(new ByteArrayInputStream(tar.build()));
    }

    private void assertOutsideUntouched() throws IOException {
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.getAttribute(victim, "unix:mode")).isEqualTo(0100600);
        assertThat(Files.getAttribute(victim, "unix:nlink")).isEqualTo(1);
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("victim");
        }
        try (Stream<Path> s = Files.list(base)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("root", "outside");
        }
    }

    @Test
    void extractsFilesDirsLinksModesAndTimes() throws Exception {
        extract(new TarBuilder().dir("bin").file("bin/tool", "#!/bin/sh\n", 04755).symlink("bin/sh", "tool")
                .hardlink("bin/tool2", "bin/tool").dir("tmp", 01777).fifo("run.fifo").file("./etc/hosts", "h"));
        assertThat(Files.readString(root.resolve("bin/tool"))).isEqualTo("#!/bin/sh\n");
        assertThat(Files.getAttribute(root.resolve("bin/tool"), "unix:mode")).isEqualTo(0104755);
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh")).toString()).isEqualTo("tool");
        assertThat(Files.getAttribute(root.resolve("bin/tool"), "unix:nlink")).isEqualTo(2);
        assertThat(Files.getAttribute(root.resolve("tmp"), "unix:mode")).isEqualTo(041777);
        assertThat(Files.getAttribute(root.resolve("run.fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(010644);
        assertThat(Files.getLastModifiedTime(root.resolve("bin")).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(Files.readString(root.resolve("etc/hosts"))).isEqualTo("h");
    }

    @Test
    void keepsOwnershipWhenRoot() throws Exception {
        assumeTrue(ROOT, "setting file ownership needs root");
        extract(new TarBuilder().fileOwned("f", "x", 1234, 5678).symlink("l", "f"));
        assertThat(Files.getAttribute(root.resolve("f"), "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(root.resolve("f"), "unix:gid")).isEqualTo(5678);
    }

    @Test
    void refusesDotDotNames() {
        assertThatThrownBy(() -> extract(new TarBuilder().file("../outside/victim", "pwned")))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("'..'");
        assertThatThrownBy(() -> extract(new TarBuilder().file("a/../../outside/x", "pwned")))
                .isInstanceOf(InvalidArchiveException.class);
    }

    @Test
    void absoluteNamesStayInside() throws Exception {
        extract(new TarBuilder().file(outside + "/victim", "pwned"));
        assertThat(Files.readString(root.resolve(outside.toString().substring(1)).resolve("victim"))).isEqualTo("pwned");
        assertOutsideUntouched();
    }

    @Test
    void absoluteSymlinkParentIsReRootedInsideTheTarget() throws Exception {
        extract(new TarBuilder().symlink("evil", outside.toString()).file("evil/victim", "pwned").file("evil/new", "x"));
        assertOutsideUntouched();
        assertThat(Files.readString(root.resolve(outside.toString().substring(1)).resolve("victim"))).isEqualTo("pwned");
    }

    @Test
    void relativeUpAndOutSymlinkIsClampedAtTheRoot() throws Exception {
        extract(new TarBuilder().symlink("evil", "../../../../../../../../outside").file("evil/victim", "pwned"));
        assertOutsideUntouched();
        assertThat(Files.readString(root.resolve("outside/victim"))).isEqualTo("pwned");
    }

    @Test
    void chainedSymlinksAreConfinedAtEveryHop() throws Exception {
        extract(new TarBuilder().dir("a").symlink("a/up", "..").symlink("b", "a/up/a/up/../..").file("b/victim", "x"));
        assertOutsideUntouched();
        assertThat(root.resolve("victim")).exists();
    }

    @Test
    void symlinkLoopIsAnError() {
        assertThatThrownBy(() -> extract(new TarBuilder().symlink("x", "y").symlink("y", "x").file("x/f", "1")))
                .isInstanceOf(InvalidArchiveException.class);
    }

    @Test
    void hardlinkToAbsoluteHostPathDoesNotReachTheHost() throws Exception {
        assertThatThrownBy(() -> extract(new TarBuilder().hardlink("passwd", victim.toString())))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("not in the layer");
        assertThatThrownBy(() -> extract(new TarBuilder().hardlink("passwd", "/etc/passwd")))
                .isInstanceOf(InvalidArchiveException.class);
        assertOutsideUntouched();
    }

    @Test
    void hardlinkThroughSymlinkParentStaysInside() throws Exception {
        assertThatThrownBy(() -> extract(new TarBuilder().symlink("link", outside.toString()).hardlink("h", "link/victim")))
                .isInstanceOf(InvalidArchiveException.class);
        assertOutsideUntouched();
    }

    @Test
    void hardlinkToSymlinkThenChmodNeverReachesTheSymlinkTarget() throws Exception {
        // containerd "HardlinkSymlinkChmod" / CVE-2021-32760: the link's mode must not be applied through the symlink
        extract(new TarBuilder().symlink("s", victim.toString()).hardlink("h", "s"));
        assertOutsideUntouched();
        assertThat(Files.isSymbolicLink(root.resolve("h"))).isTrue();
    }

    @Test
    void hardlinkToDirectoryIsRefused() {
        assertThatThrownBy(() -> extract(new TarBuilder().dir("d").hardlink("h", "d")))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("directory");
    }

    @Test
    void fileReplacesASymlinkInsteadOfWritingThroughIt() throws Exception {
        extract(new TarBuilder().symlink("target", victim.toString()).file("target", "pwned"));
        assertOutsideUntouched();
        assertThat(Files.isSymbolicLink(root.resolve("target"))).isFalse();
        assertThat(Files.readString(root.resolve("target"))).isEqualTo("pwned");
    }

    @Test
    void directoryReplacedBySymlinkThenWrittenThroughStaysInside() throws Exception {
        extract(new TarBuilder().dir("d").file("d/a", "1").symlink("d", outside.toString()).file("d/victim", "pwned"));
        assertOutsideUntouched();
        assertThat(Files.isSymbolicLink(root.resolve("d"))).isTrue();
    }

    @Test
    void symlinkReplacedByDirectory() throws Exception {
        extract(new TarBuilder().symlink("d", outside.toString()).dir("d").file("d/victim", "x"));
        assertOutsideUntouched();
        assertThat(Files.isDirectory(root.resolve("d"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void deadSymlinkParentCreatesDirectoriesInside() throws Exception {
        extract(new TarBuilder().symlink("dead", "/nonexistent/dir").file("dead/f", "x"));
        assertThat(Files.readString(root.resolve("nonexistent/dir/f"))).isEqualTo("x");
        assertOutsideUntouched();
    }

    @Test
    void entryThroughAFileIsRefused() {
        assertThatThrownBy(() -> extract(new TarBuilder().file("f", "x").file("f/g", "y")))
                .isInstanceOf(InvalidArchiveException.class);
    }

    @Test
    void emptyNameSymlinkOrRootReplacementIsRefused() {
        assertThatThrownBy(() -> extract(new TarBuilder().symlink("./", outside.toString())))
                .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("layer root");
        assertThatThrownBy(() -> extract(new TarBuilder().symlink("x", "")))
                .isInstanceOf(InvalidArchiveException.class);
    }

    @Test
    void malformedWhiteoutsAreInvalid() {
        for (String name : new String[] {".wh..", ".wh...", "etc/.wh..", ".wh.", "a/.wh..wh.unknown"}) {
            assertThatThrownBy(() -> extract(new TarBuilder().file(name, "")))
                    .as(name).isInstanceOf(InvalidArchiveException.class);
        }
    }

    @Test
    void whiteoutBecomesOverlayCharDevice() throws Exception {
        assumeTrue(ROOT, "overlay whiteouts are 0:0 character devices, which need CAP_MKNOD");
        extract(new TarBuilder().dir("etc").file("etc/.wh.passwd", ""));
        Path wh = root.resolve("etc/passwd");
        assertThat(Files.getAttribute(wh, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(020000);
        assertThat(Files.getAttribute(wh, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThat(root.resolve("etc/.wh.passwd")).doesNotExist();
    }

    @Test
    void whiteoutThroughSymlinkStaysInside() throws Exception {
        assumeTrue(ROOT, "overlay whiteouts need CAP_MKNOD");
        extract(new TarBuilder().symlink("s", outside.toString()).file("s/.wh.victim", ""));
        assertOutsideUntouched();
        Path wh = root.resolve(outside.toString().substring(1)).resolve("victim");
        assertThat(Files.getAttribute(wh, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(020000);
    }

    @Test
    void opaqueDirectoryGetsTheOverlayXattr() throws Exception {
        assumeTrue(ROOT, "trusted.* xattrs need CAP_SYS_ADMIN");
        assumeTrue(Xattrs.available(), "getfattr (package attr) is not installed");
        extract(new TarBuilder().dir("d").file("d/.wh..wh..opq", "").file("d/keep", "k"));
        assertThat(Xattrs.get(root.resolve("d"), "trusted.overlay.opaque")).isEqualTo("y");
        assertThat(root.resolve("d/.wh..wh..opq")).doesNotExist();
    }

    @Test
    void forgedOverlayXattrsAreDroppedOthersKept() throws Exception {
        assumeTrue(ROOT, "trusted.* xattrs need CAP_SYS_ADMIN");
        assumeTrue(Xattrs.available(), "getfattr (package attr) is not installed");
        extract(new TarBuilder().fileWithXattrs("f", "x", Map.of("trusted.overlay.redirect", "/etc", "user.note", "hi")));
        assertThat(Xattrs.get(root.resolve("f"), "trusted.overlay.redirect")).isNull();
        assertThat(Xattrs.get(root.resolve("f"), "user.note")).isEqualTo("hi");
    }

    @Test
    void deviceNodesAreCreated() throws Exception {
        assumeTrue(ROOT, "device nodes need CAP_MKNOD");
        extract(new TarBuilder().dir("dev").charDevice("dev/null", 1, 3));
        assertThat(Files.getAttribute(root.resolve("dev/null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(FileOps.makedev(1, 3));
    }

    @Test
    void corruptTarIsAnErrorNotAHang() {
        byte[] junk = new byte[1024];
        java.util.Arrays.fill(junk, (byte) 'x');
        assertThatThrownBy(() -> new LayerExtractor(root).extract(new ByteArrayInputStream(junk)))
                .isInstanceOfAny(InvalidArchiveException.class, IOException.class);
    }
}
