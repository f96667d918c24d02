package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cli.it.Pelagos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the monitor of a detached container records and {@code pelagos logs} gives back: stdout and
 * stderr kept apart (each printed to the same stream it came from), in order; {@code --tail N},
 * {@code --since} (timestamp and duration), {@code -t} timestamps; {@code -f} prints lines as they
 * come and ends when the container exits; the log rotates past its size limit and still reads back
 * whole. A failure means lost, mixed-up or unbounded container output.
 */
class LogsIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;

    @BeforeAll
    static void setUp() {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
    }

    @AfterAll
    static void nothingLeft() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static String busybox() {
        return Pelagos.busyboxRootfs().toString();
    }

    @Test
    void streamsStayApartAndTailSinceTimestampsWork() throws Exception {
        String id = host.runDetached("--rootfs", busybox(), "sh", "-c",
                "echo out1; echo err1 >&2; echo out2; sleep 1.2; echo err2 >&2; echo out3");
        assertThat(pelagos.run("wait", id).out()).isEqualTo("0\n");
        Pelagos.Result all = pelagos.run("logs", id);
        assertThat(all.out()).isEqualTo("out1\nout2\nout3\n");
        assertThat(all.err()).isEqualTo("err1\nerr2\n");

        Pelagos.Result tail = pelagos.run("logs", "--tail", "2", id);
        assertThat(tail.out()).isEqualTo("out3\n");
        assertThat(tail.err()).isEqualTo("err2\n");
        assertThat(pelagos.run("logs", "--tail", "0", id).out()).isEmpty();

        Pelagos.Result ts = pelagos.run("logs", "-t", id);
        List<String> lines = ts.out().lines().toList();
        assertThat(lines).hasSize(3);
        Instant first = Instant.parse(lines.get(0).split(" ")[0]);
        Instant last = Instant.parse(lines.get(2).split(" ")[0]);
        assertThat(lines.get(0)).endsWith(" out1");
        assertThat(Duration.between(first, last)).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(10));

        // --since the middle: only what came after the sleep
        Instant middle = first.plusMillis(600);
        Pelagos.Result since = pelagos.run("logs", "--since", middle.toString(), id);
        assertThat(since.out()).isEqualTo("out3\n");
        assertThat(since.err()).isEqualTo("err2\n");
        assertThat(pelagos.run("logs", "--since", "1h", id).out()).isEqualTo("out1\nout2\nout3\n");
        assertThat(pelagos.run("logs", "--since", Instant.now().plusSeconds(60).toString(), id).out()).isEmpty();
        assertThat(pelagos.run("rm", id).code()).isZero();
    }

    @Test
    void followPrintsLinesAsTheyComeAndEndsWithTheContainer() throws Exception {
        String id = host.runDetached("--rootfs", busybox(), "sh", "-c",
                "echo first; sleep 1; echo second; sleep 1; echo third");
        try (Pelagos.Running follow = pelagos.start("logs", "-f", id)) {
            assertThat(follow.nextLine(10)).isEqualTo("first");
            long t0 = System.nanoTime();
            assertThat(follow.nextLine(10)).isEqualTo("second");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("printed as it came, not at the end").isGreaterThan(Duration.ofMillis(300));
            assertThat(follow.nextLine(10)).isEqualTo("third");
            assertThat(follow.waitFor(10)).as("logs -f ends when the container exits").isZero();
        }
        assertThat(pelagos.run("rm", id).code()).isZero();
    }

    /**
     * The monitor's footprint target (PERFORMANCE.md: at most 1 MiB) holds while it works: relaying 3 MB of
     * 100 kB lines (split into partial records), running a health check every 100 ms, or holding a terminal.
     */
    @Test
    void theMonitorStaysUnderOneMiBWhileItWorks() throws Exception {
        String busy = host.runDetached("--health-cmd", "true", "--health-interval", "100ms", "--rootfs", busybox(), "sh", "-c",
                "s=$(head -c 100000 /dev/zero | tr '\\0' a); i=0; while [ $i -lt 30 ]; do echo \"$s\"; i=$((i+1)); done; echo end; sleep 60");
        String tty = host.runDetached("-t", "--rootfs", busybox(), "sh", "-c", "head -c 1000000 /dev/zero | od; echo end; sleep 60");
        for (String id : List.of(busy, tty)) {
            HostView.await("the output relayed", Duration.ofSeconds(20), () -> pelagos.run("logs", "--tail", "1", id).out().contains("end"));
        }
        HostView.await("a few health checks", Duration.ofSeconds(10),
                () -> host.state(busy).has("Health") && host.state(busy).getAsJsonObject("Health").get("Status").getAsString().equals("healthy"));
        for (String id : List.of(busy, tty)) {
            String status = Files.readString(Path.of("/proc/" + host.pidFile(id).monitorPid() + "/status"));
            long hwm = status.lines().filter(l -> l.startsWith("VmHWM:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
            assertThat(hwm).as("peak RSS of the monitor in KiB").isLessThanOrEqualTo(1024);
        }
        assertThat(pelagos.run("rm", "-f", busy, tty).code()).isZero();
    }

    @Test
    void theLogRotatesAndReadsBackWhole() throws Exception {
        // 12000 lines of 1000 characters: past the 10 MiB limit once
        String id = host.runDetached("--rootfs", busybox(), "sh", "-c",
                "s=$(head -c 1000 /dev/zero | tr '\\0' a); i=0; while [ $i -lt 12000 ]; do echo \"$i $s\"; i=$((i+1)); done");
        assertThat(pelagos.run("wait", id).out()).isEqualTo("0\n");
        Path log = host.stateDir(id).resolve("container.log");
        Path rotated = host.stateDir(id).resolve("container.log.1");
        assertThat(rotated).as("rotated file").exists();
        assertThat(Files.size(rotated)).isLessThanOrEqualTo(10L << 20);
        assertThat(Files.size(log)).isLessThanOrEqualTo(10L << 20);
        Pelagos.Result all = pelagos.run("logs", id);
        List<String> lines = all.out().lines().toList();
        assertThat(lines).hasSize(12000);
        assertThat(lines.getFirst()).startsWith("0 aaa").hasSize(1002);
        assertThat(lines.getLast()).startsWith("11999 aaa");
        assertThat(pelagos.run("logs", "--tail", "1", id).out()).startsWith("11999 aaa");
        assertThat(pelagos.run("rm", id).code()).isZero();
    }
}
