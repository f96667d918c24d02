package dev.pelagos.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names are claimed atomically; a crash-left claim is reclaimed; a failed start leaves nothing behind. */
class ContainerStoreTest {
    @TempDir
    Path runtime;
    private ContainerStore store;

    @BeforeEach
    void setUp() {
        store = new ContainerStore(runtime);
    }

    @Test
    void createClaimsTheNameAndMakesThePrivateStateDirectory() throws Exception {
        ContainerId id = ContainerId.random();
        Path dir = store.create(id, "web");
        assertThat(dir).isEqualTo(runtime.resolve("containers").resolve(id.value())).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx--x--x");
        assertThat(Files.readString(runtime.resolve("names/web"))).isEqualTo(id.value());
    }

    @Test
    void aNameHeldByAnExistingContainerIsAConflict() throws Exception {
        ContainerId first = ContainerId.random();
        store.create(first, "web");
        ContainerId second = ContainerId.random();
        assertThatThrownBy(() -> store.create(second, "web"))
                .isInstanceOf(PelagosException.class)
                .hasMessage("container name 'web' is already in use by container " + first.shortId())
                .satisfies(e -> assertThat(((PelagosException) e).kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(Files.readString(runtime.resolve("names/web"))).isEqualTo(first.value());
        assertThat(store.stateDir(second)).doesNotExist();
    }

    @Test
    void aStaleNameIsReclaimed() throws Exception {
        ContainerId gone = ContainerId.random();
        Files.createDirectories(runtime.resolve("names"));
        Files.writeString(runtime.resolve("names/web"), gone.value());
        ContainerId id = ContainerId.random();
        store.create(id, "web");
        assertThat(Files.readString(runtime.resolve("names/web"))).isEqualTo(id.value());
    }

    @Test
    void aGarbageNameEntryIsReclaimed() throws Exception {
        Files.createDirectories(runtime.resolve("names"));
        Files.writeString(runtime.resolve("names/web"), "../../etc");
        ContainerId id = ContainerId.random();
        store.create(id, "web");
        assertThat(Files.readString(runtime.resolve("names/web"))).isEqualTo(id.value());
    }

    @Test
    void discardRemovesStateAndReleasesTheName() throws Exception {
        ContainerId id = ContainerId.random();
        Path dir = store.create(id, "web");
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/hosts"), "x");
        store.discard(id, "web");
        assertThat(dir).doesNotExist();
        assertThat(runtime.resolve("names/web")).doesNotExist();
        store.create(ContainerId.random(), "web");
    }

    @Test
    void discardDoesNotReleaseANameAnotherContainerHolds() throws Exception {
        ContainerId owner = ContainerId.random();
        store.create(owner, "web");
        ContainerId other = ContainerId.random();
        store.create(other, "other");
        store.discard(other, "web");
        assertThat(Files.readString(runtime.resolve("names/web"))).isEqualTo(owner.value());
        assertThat(store.stateDir(owner)).isDirectory();
    }

    @Test
    void discardDoesNotFollowSymlinksOutOfTheStateDirectory() throws Exception {
        Path outside = Files.createDirectories(runtime.getParent().resolve(runtime.getFileName() + "-outside"));
        try {
            Path keep = Files.writeString(outside.resolve("keep"), "precious");
            ContainerId id = ContainerId.random();
            Path dir = store.create(id, "web");
            Files.createSymbolicLink(dir.resolve("link"), outside);
            store.discard(id, "web");
            assertThat(dir).doesNotExist();
            assertThat(keep).hasContent("precious");
        } finally {
            try (var s = Files.walk(outside)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void concurrentClaimsOfOneNameHaveExactlyOneWinner() throws Exception {
        int n = 8;
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wins = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    store.create(ContainerId.random(), "race");
                    wins.incrementAndGet();
                } catch (PelagosException e) {
                    if (e.kind() == ErrorKind.CONFLICT) {
                        conflicts.incrementAndGet();
                    } else {
                        unexpected.add(e);
                    }
                } catch (RuntimeException e) {
                    // e.g. OverlappingFileLockException: threads of one JVM (a library user starting
                    // containers in parallel) must be serialized too, not just processes
                    unexpected.add(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(unexpected).as("failures other than a name conflict").isEmpty();
        assertThat(wins.get()).isEqualTo(1);
        assertThat(conflicts.get()).isEqualTo(n - 1);
    }

    @Test
    void containerIds() throws IOException {
        ContainerId id = ContainerId.random();
        assertThat(id.value()).matches("[0-9a-f]{64}");
        assertThat(id.shortId()).isEqualTo(id.value().substring(0, 12));
        assertThat(ContainerId.isValid(id.value())).isTrue();
        assertThat(ContainerId.isValid("..")).isFalse();
        assertThat(ContainerId.isValid(id.value().toUpperCase())).isFalse();
        assertThatThrownBy(() -> new ContainerId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContainerId("../" + id.value().substring(3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stateFilesWrittenByTheHelperAreRead() throws IOException {
        Path dir = Files.createDirectories(runtime.resolve("c"));
        ContainerState none = ContainerState.read(dir);
        assertThat(none.pid()).isZero();
        assertThat(none.exitCode()).isNull();
        Files.writeString(dir.resolve("pid"), "123 456 789 321\n");
        Files.writeString(dir.resolve("exit"), "exit_code=137\nsignal=9\noom_killed=1\nfinished_at=1000\n");
        ContainerState s = ContainerState.read(dir);
        assertThat(s.pid()).isEqualTo(123);
        assertThat(s.pidStartTime()).isEqualTo(456);
        assertThat(s.startedAtMillis()).isEqualTo(789);
        assertThat(s.monitorPid()).isEqualTo(321);
        assertThat(s.exitCode()).isEqualTo(137);
        assertThat(s.signal()).isEqualTo(9);
        assertThat(s.oomKilled()).isTrue();
        assertThat(s.finishedAtMillis()).isEqualTo(1000);
    }
}
