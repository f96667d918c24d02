package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.pelagos.cli.it.Pelagos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health checks run by the detached container's monitor (no pelagos process stays behind):
 * {@code --health-cmd/--health-interval/--health-retries} move a container from starting to healthy
 * and, after N failures in a row, to unhealthy, shown by {@code ps} ("Up ... (healthy)",
 * {@code --filter health=}) and {@code inspect} (State.Health with Status, FailingStreak, Log);
 * {@code --health-timeout} counts a hung check as a failure; failures within
 * {@code --health-start-period} do not count; an image's HEALTHCHECK applies unless
 * {@code --no-healthcheck}. A failure means orchestration that waits for "healthy" (compose,
 * scripts) would wait forever or trust a broken service.
 */
class HealthCheckIT {
    private static final String IMAGE = "healthimg:1";
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;
    private static String busybox;

    @BeforeAll
    static void setUp() throws Exception {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
        busybox = HostView.busyboxRootfsCopy(tmp).toString();
        // HEALTHCHECK --interval=200ms --retries=2 CMD test -f /tmp/ok (Docker stores nanoseconds)
        TestImages.loadBusybox(pelagos, tmp, IMAGE,
                "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"test -f /tmp/ok\"],\"Interval\":200000000,\"Timeout\":2000000000,"
                        + "\"Retries\":2}");
    }

    @AfterAll
    static void nothingLeft() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static String health(String ref) {
        JsonObject s = host.state(ref);
        return s.has("Health") ? s.getAsJsonObject("Health").get("Status").getAsString() : "none";
    }

    private static void awaitHealth(String ref, String status, int seconds) {
        HostView.await(ref + " to be " + status, Duration.ofSeconds(seconds), () -> health(ref).equals(status));
    }

    @Test
    void startingThenHealthyThenUnhealthy() {
        // the marker lives in a tmpfs: the shared --rootfs fixture stays clean and each start begins without it
        host.runDetached("--name", "hc", "--tmpfs", "/run", "--health-cmd", "test -f /run/ok", "--health-interval", "200ms",
                "--health-retries", "2", "--rootfs", busybox, "sh", "-c", "sleep 1; touch /run/ok; sleep 60");
        assertThat(health("hc")).as("right after the start").isEqualTo("starting");
        awaitHealth("hc", "healthy", 10);
        assertThat(pelagos.run("ps").out()).contains("(healthy)");
        assertThat(pelagos.run("ps", "-q", "--filter", "health=healthy").out().strip()).hasSize(12);
        JsonObject h = host.state("hc").getAsJsonObject("Health");
        assertThat(h.get("FailingStreak").getAsInt()).isZero();
        assertThat(h.getAsJsonArray("Log").get(0).getAsJsonObject().get("ExitCode").getAsInt()).isZero();

        assertThat(pelagos.run("exec", "hc", "rm", "/run/ok").code()).isZero();
        awaitHealth("hc", "unhealthy", 10);
        h = host.state("hc").getAsJsonObject("Health");
        assertThat(h.get("FailingStreak").getAsInt()).isGreaterThanOrEqualTo(2);
        assertThat(h.getAsJsonArray("Log").get(0).getAsJsonObject().get("ExitCode").getAsInt()).isEqualTo(1);
        assertThat(pelagos.run("ps").out()).contains("(unhealthy)");
        assertThat(pelagos.run("ps", "-q", "--filter", "health=healthy").out()).isEmpty();

        assertThat(pelagos.run("exec", "hc", "touch", "/run/ok").code()).isZero();
        awaitHealth("hc", "healthy", 10);
        // a restart starts the checks afresh
        assertThat(pelagos.run("restart", "-t", "0", "hc").code()).isZero();
        assertThat(health("hc")).isEqualTo("starting");
        awaitHealth("hc", "healthy", 10);
        assertThat(pelagos.run("rm", "-f", "hc").code()).isZero();
    }

    /** The check runs inside the container: its namespaces, its cgroup, its filesystem and security settings. */
    @Test
    void theCheckRunsInsideTheContainer() throws Exception {
        String id = host.runDetached("--name", "inside", "--tmpfs", "/run", "--health-cmd",
                "for n in pid mnt net cgroup; do readlink /proc/self/ns/$n; done > /run/hc.new; grep -E '^(CapEff|NoNewPrivs|Seccomp):' "
                        + "/proc/self/status >> /run/hc.new; mv /run/hc.new /run/hc",
                "--health-interval", "200ms", "--rootfs", busybox, "sleep", "60");
        awaitHealth("inside", "healthy", 10);
        long pid1 = host.pidFile(id).pid();
        List<String> seen = pelagos.run("exec", "inside", "cat", "/run/hc").out().lines().toList();
        assertThat(seen).hasSize(7);
        List<String> kinds = List.of("pid", "mnt", "net", "cgroup");
        for (int i = 0; i < kinds.size(); i++) {
            assertThat(seen.get(i)).as("%s namespace of the health check", kinds.get(i))
                    .isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + pid1 + "/ns/" + kinds.get(i))).toString());
        }
        String status = Files.readString(Path.of("/proc/" + pid1 + "/status"));
        for (String l : seen.subList(4, 7)) {
            assertThat(status).as("the check's %s is the container's", l.split(":")[0]).contains(l + "\n");
        }
        assertThat(pelagos.run("rm", "-f", "inside").code()).isZero();
    }

    @Test
    void aHungCheckTimesOutAndTheStartPeriodForgivesFailures() throws Exception {
        host.runDetached("--name", "grace", "--health-cmd", "false", "--health-interval", "200ms", "--health-retries", "1",
                "--health-start-period", "5s", "--rootfs", busybox, "sleep", "60");
        host.runDetached("--name", "hung", "--health-cmd", "sleep 5", "--health-interval", "200ms", "--health-timeout", "300ms",
                "--health-retries", "1", "--rootfs", busybox, "sleep", "60");
        awaitHealth("hung", "unhealthy", 10);
        Thread.sleep(500);
        assertThat(pelagos.run("exec", "hung", "sh", "-c", "ps -o args | grep -c '^sleep 5'").line())
                .as("timed-out checks are killed, not left running").isIn("0", "1");
        // "grace" has failed several checks by now, but within its start period they do not count
        assertThat(health("grace")).isEqualTo("starting");
        awaitHealth("grace", "unhealthy", 15);
        assertThat(pelagos.run("rm", "-f", "hung", "grace").code()).isZero();
    }

    @Test
    void theImagesHealthcheckAppliesUnlessDisabled() {
        host.runDetached("--name", "fromimage", IMAGE, "sh", "-c", "touch /tmp/ok; sleep 60");
        awaitHealth("fromimage", "healthy", 10);
        host.runDetached("--name", "disabled", "--no-healthcheck", IMAGE, "sh", "-c", "touch /tmp/ok; sleep 60");
        assertThat(health("disabled")).isEqualTo("none");
        assertThat(pelagos.run("ps", "--filter", "name=disabled").out()).doesNotContain("(");
        assertThat(pelagos.run("rm", "-f", "fromimage", "disabled").code()).isZero();
    }
}
