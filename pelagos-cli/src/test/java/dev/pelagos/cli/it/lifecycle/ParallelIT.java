package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cli.it.Pelagos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 {@code run -d} at once, then 50 {@code rm -f} at once, each its own pelagos process: 50 distinct
 * ids and names, 50 distinct live processes each in its own cgroup, all listed by {@code ps}; after
 * the removals nothing is left (state, names, cgroups under the test's private parent, processes,
 * mounts). Ten runs racing for one name: one wins, the others fail cleanly without debris. A failure means concurrent use (scripts, compose, CI) races on shared state: lost or
 * duplicated containers, or leaks.
 */
class ParallelIT {
    private static final int N = 50;
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;
    private static PrivateCgroupParent parent;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
        parent = new PrivateCgroupParent("parallel");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            parent.killAndRemove();
        }
    }

    @Test
    void fiftyParallelRunsThenFiftyParallelRemovals() throws Exception {
        List<Pelagos.Result> runs = inParallel(i -> pelagos.run("run", "-d", "--name", "par" + i, "--cgroup-parent", parent.name(),
                "--rootfs", Pelagos.probeRootfs().toString(), "/probe", "sleep", "120"));
        Set<String> ids = new HashSet<>();
        for (Pelagos.Result r : runs) {
            assertThat(r.code()).as("a parallel run -d: %s", r.err()).isZero();
            ids.add(r.out().strip());
        }
        assertThat(ids).hasSize(N).allMatch(id -> id.matches("[0-9a-f]{64}"));
        assertThat(host.nameEntries()).hasSize(N);
        assertThat(Set.copyOf(host.nameEntries().values())).isEqualTo(ids);
        Set<Long> pids = new HashSet<>();
        for (String id : ids) {
            HostView.PidFile pf = host.pidFile(id);
            assertThat(HostView.alive(pf.pid())).isTrue();
            pids.add(pf.pid());
            pids.add(pf.monitorPid());
            assertThat(HostView.v1OrV2CgroupOf(pf.pid())).as("cgroup of %s", id).endsWith(id);
        }
        assertThat(pids).as("distinct container and monitor processes").hasSize(2 * N);
        assertThat(pelagos.run("ps", "-q", "--no-trunc").out().lines().toList()).containsExactlyInAnyOrderElementsOf(ids);

        // half by name, half by id
        java.util.Map<String, String> byName = host.nameEntries();
        List<Pelagos.Result> removals = inParallel(i -> pelagos.run("rm", "-f", i % 2 == 0 ? "par" + i : byName.get("par" + i)));
        for (Pelagos.Result r : removals) {
            assertThat(r.code()).as("a parallel rm -f: %s", r.err()).isZero();
        }
        assertThat(pelagos.leftovers()).isEmpty();
        HostView.await("every cgroup under " + parent.name() + " removed", Duration.ofSeconds(10), () -> parent.children().isEmpty());
        for (long p : pids) {
            HostView.await("process " + p + " to end", Duration.ofSeconds(10), () -> !HostView.alive(p));
        }
        assertThat(Pelagos.hostMountsMentioning(pelagos.runtimeDir(), pelagos.dataDir())).isEmpty();
    }

    /** Ten runs racing for one name: exactly one wins; the others get one line each and leave nothing. */
    @Test
    void oneNameTenRacersOneWinner() throws Exception {
        List<Pelagos.Result> runs = inParallel(10, i -> pelagos.run("run", "-d", "--name", "contested", "--cgroup-parent", parent.name(),
                "--rootfs", Pelagos.probeRootfs().toString(), "/probe", "sleep", "60"));
        List<Pelagos.Result> winners = runs.stream().filter(r -> r.code() == 0).toList();
        assertThat(winners).as("winners of the name").hasSize(1);
        for (Pelagos.Result r : runs) {
            if (r.code() != 0) {
                assertThat(r.code()).isEqualTo(125);
                Pelagos.assertOneErrorLine(r);
                assertThat(r.errLines().getFirst()).contains("'contested' is already in use");
            }
        }
        String id = winners.getFirst().out().strip();
        assertThat(host.nameEntries()).containsExactly(java.util.Map.entry("contested", id));
        assertThat(pelagos.leftovers()).hasSize(2); // its state dir and its name
        assertThat(parent.children().stream().map(p -> p.getFileName().toString()).distinct().toList()).containsExactly(id);
        assertThat(pelagos.run("rm", "-f", "contested").code()).isZero();
        host.assertGone(id);
    }

    private interface Job {
        Pelagos.Result run(int i);
    }

    private static List<Pelagos.Result> inParallel(Job job) throws Exception {
        return inParallel(N, job);
    }

    private static List<Pelagos.Result> inParallel(int n, Job job) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<Pelagos.Result>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit(() -> job.run(k)));
            }
            List<Pelagos.Result> out = new ArrayList<>();
            for (Future<Pelagos.Result> f : fs) {
                out.add(f.get());
            }
            return out;
        }
    }
}
