package dev.pelagos.cli.it.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A cgroup parent of a test's own ({@code --cgroup-parent pelagos-it-<random>}), so that the test
 * can tell which cgroups its containers made — even those of a container whose id it never learned,
 * because the CLI was killed before printing it — without looking at anyone else's. Removed (empty
 * directories only) by {@link #remove()}.
 */
public final class PrivateCgroupParent {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private final String name;

    public PrivateCgroupParent(String purpose) {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        this.name = "pelagos-it-" + purpose + "-" + HexFormat.of().formatHex(r);
    }

    /** The value for {@code --cgroup-parent}. */
    public String name() {
        return name;
    }

    /** The parent's directories that exist (one per controller on v1, one on v2). */
    public List<Path> dirs() {
        List<Path> l = new ArrayList<>();
        if (Files.isDirectory(ROOT.resolve(name))) {
            l.add(ROOT.resolve(name));
        }
        try (Stream<Path> s = Files.list(ROOT)) {
            for (Path c : s.toList()) {
                if (Files.isDirectory(c.resolve(name))) {
                    l.add(c.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return l;
    }

    /** Cgroups below the parent, in any controller: the containers' (and anything they made). */
    public List<Path> children() {
        List<Path> l = new ArrayList<>();
        for (Path d : dirs()) {
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(p -> !p.equals(d) && Files.isDirectory(p)).forEach(l::add);
            } catch (IOException | UncheckedIOException e) {
                // removed while we walked
            }
        }
        return l;
    }

    /**
     * Test hygiene after a failure: SIGKILLs whatever is still in the parent's cgroups (only this
     * test's containers can be there) and removes them.
     */
    public void killAndRemove() throws IOException, InterruptedException {
        for (int round = 0; round < 50 && !dirs().isEmpty(); round++) {
            for (Path d : children()) {
                try {
                    for (String pid : Files.readAllLines(d.resolve("cgroup.procs"))) {
                        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone meanwhile
                }
            }
            try {
                remove();
            } catch (IOException | java.io.UncheckedIOException e) {
                Thread.sleep(100); // processes still exiting
            }
        }
        remove();
    }

    /** Removes the (empty) parent directories; cgroupfs refuses to remove a cgroup with processes in it. */
    public void remove() throws IOException {
        for (Path d : dirs()) {
            List<Path> all;
            try (Stream<Path> s = Files.walk(d)) {
                all = s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            } catch (UncheckedIOException e) {
                continue; // removed while we walked
            }
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
