package dev.pelagos.runtime.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --user is resolved against the container's own /etc/passwd and /etc/group, read through
 * {@link ConfinedPath}: a hostile image cannot make us read host files or hang on /dev/zero.
 */
class UserResolverTest {
    @TempDir
    Path tmp;
    private Path root;
    private RootView view;

    @BeforeEach
    void rootfs() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                # a comment
                nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                alice:x:1000:1000:Alice:/home/alice:/bin/sh
                nohome:x:1001:1001::
                """);
        Files.writeString(root.resolve("etc/group"), """
                root:x:0:
                staff:x:50:alice,bob
                wheel:x:10:bob,alice
                alice:x:1000:
                nogroup:x:65534:
                """);
        view = new DirRootView(root);
    }

    private UserResolver.User resolve(String spec, String... groupAdd) throws PelagosException {
        return UserResolver.resolve(view, spec, List.of(groupAdd));
    }

    @Test
    void defaultIsRoot() throws PelagosException {
        assertThat(resolve(null)).isEqualTo(new UserResolver.User(0, 0, List.of(0), "/root"));
    }

    @Test
    void namedUserGetsItsGroupHomeAndSupplementaryGroups() throws PelagosException {
        assertThat(resolve("alice")).isEqualTo(new UserResolver.User(1000, 1000, List.of(1000, 50, 10), "/home/alice"));
        assertThat(resolve("1000")).isEqualTo(resolve("alice"));
    }

    @Test
    void numericIdsNeedNoEntry() throws PelagosException {
        assertThat(resolve("4242")).isEqualTo(new UserResolver.User(4242, 0, List.of(0), "/"));
        assertThat(resolve("4242:4343")).isEqualTo(new UserResolver.User(4242, 4343, List.of(4343), "/"));
    }

    @Test
    void explicitGroupReplacesPrimaryAndSupplementaryGroups() throws PelagosException {
        assertThat(resolve("alice:staff")).isEqualTo(new UserResolver.User(1000, 50, List.of(50), "/home/alice"));
        assertThat(resolve("alice:77")).isEqualTo(new UserResolver.User(1000, 77, List.of(77), "/home/alice"));
    }

    @Test
    void groupAddByNameAndNumberWithoutDuplicates() throws PelagosException {
        assertThat(resolve("alice", "nogroup", "7", "staff")).isEqualTo(
                new UserResolver.User(1000, 1000, List.of(1000, 50, 10, 65534, 7), "/home/alice"));
        assertThat(resolve(null, "1000").groups()).containsExactly(0, 1000);
    }

    @Test
    void entryWithoutHomeGetsSlash() throws PelagosException {
        assertThat(resolve("nohome").home()).isEqualTo("/");
    }

    @Test
    void missingUserAndGroupAreNotFound() {
        assertThatThrownBy(() -> resolve("mallory"))
                .isInstanceOf(PelagosException.class)
                .hasMessage("unable to find user mallory: no matching entries in the container's /etc/passwd")
                .satisfies(e -> assertThat(((PelagosException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> resolve("alice:nosuch"))
                .hasMessage("unable to find group nosuch: no matching entries in the container's /etc/group");
        assertThatThrownBy(() -> resolve(null, "nosuch"))
                .hasMessage("unable to find group nosuch: no matching entries in the container's /etc/group");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "4294967295", "4294967296", "99999999999999999999", "0:2147483648", "1:4294967295"})
    void outOfRangeIdsAreRefused(String spec) {
        assertThatThrownBy(() -> resolve(spec))
                .isInstanceOf(PelagosException.class)
                .hasMessageMatching("(user|group) id \\d+ is out of range")
                .satisfies(e -> assertThat(((PelagosException) e).hint()).contains("2147483647"));
    }

    @Test
    void largestValidIdIsAccepted() throws PelagosException {
        assertThat(resolve("2147483647:2147483647").uid()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void outOfRangeIdsInThePasswdFileAreRefusedToo() throws IOException {
        Files.writeString(root.resolve("etc/passwd"), "evil:x:4294967296:0::/:/bin/sh\nwrap:x:0:4294967295::/:/bin/sh\n");
        assertThatThrownBy(() -> resolve("evil")).hasMessage("user id 4294967296 is out of range");
        assertThatThrownBy(() -> resolve("wrap")).hasMessage("group id 4294967295 is out of range");
    }

    @Test
    void outOfRangeOrNegativeGidsInTheGroupFileAreRefusedCleanly() throws IOException {
        Files.writeString(root.resolve("etc/group"), "huge:x:4294967296:\nneg:x:-1:\nword:x:abc:\n");
        for (String g : List.of("huge", "neg", "word")) {
            assertThatThrownBy(() -> resolve("0:" + g)).as("group %s", g)
                    .isInstanceOf(PelagosException.class)
                    .satisfies(e -> assertThat(((PelagosException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
            assertThatThrownBy(() -> resolve(null, g)).as("--group-add %s", g).isInstanceOf(PelagosException.class);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void passwdSymlinkedToDevZeroIsNotReadAndDoesNotHang() throws IOException {
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> resolve("alice")).hasMessageStartingWith("unable to find user alice");
        // a host-side /dev/zero symlinked relatively is not reached either
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../../../../../dev/zero"));
        assertThatThrownBy(() -> resolve("alice")).hasMessageStartingWith("unable to find user alice");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void passwdInsideTheRootThatIsADeviceOrFifoIsIgnored() throws Exception {
        Files.delete(root.resolve("etc/passwd"));
        Process p = new ProcessBuilder("mkfifo", root.resolve("etc/passwd").toString()).start();
        assertThat(p.waitFor()).isZero();
        assertThatThrownBy(() -> resolve("alice")).hasMessageStartingWith("unable to find user alice");
    }

    @Test
    void passwdSymlinkedToAHostFileIsNotRead() throws Exception {
        Path hostPasswd = Files.writeString(tmp.resolve("host-passwd"), "hostuser:x:4242:4242::/host:/bin/sh\n");
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), hostPasswd);
        assertThatThrownBy(() -> resolve("hostuser")).hasMessageStartingWith("unable to find user hostuser");
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../../../../.." + hostPasswd));
        assertThatThrownBy(() -> resolve("hostuser")).hasMessageStartingWith("unable to find user hostuser");
        // numeric ids still work without any passwd: the image simply has none
        assertThat(resolve("4242").uid()).isEqualTo(4242);
    }

    @Test
    void passwdSymlinkInsideTheRootIsFollowed() throws Exception {
        Files.move(root.resolve("etc/passwd"), root.resolve("etc/passwd.real"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/etc/passwd.real"));
        assertThat(UserResolver.resolve(view, "alice", List.of()).uid()).isEqualTo(1000);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void hugePasswdIsRefusedNotReadWhole() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("etc/passwd").toFile(), "rw")) {
            f.setLength(1L << 30); // sparse: costs no disk
        }
        assertThatThrownBy(() -> resolve("alice")).hasMessageStartingWith("unable to find user alice");
    }

    @Test
    void passwdThatIsADirectoryIsTreatedAsMissing() throws Exception {
        Files.delete(root.resolve("etc/passwd"));
        Files.createDirectories(root.resolve("etc/passwd"));
        assertThatThrownBy(() -> resolve("alice")).hasMessageStartingWith("unable to find user alice");
        assertThat(resolve(null).uid()).isZero();
    }
}
