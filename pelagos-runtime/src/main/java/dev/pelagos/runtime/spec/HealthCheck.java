package dev.pelagos.runtime.spec;

import dev.pelagos.base.Durations;
import dev.pelagos.base.PelagosException;
import java.time.Duration;
import java.util.List;

/**
 * A container health check, Docker's semantics: run {@code test} every {@code interval}; it fails
 * when it exits non-zero or runs past {@code timeout}; {@code retries} failures in a row make the
 * container unhealthy; failures within {@code startPeriod} do not count.
 */
public record HealthCheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public HealthCheck {
        test = List.copyOf(test);
        if (test.isEmpty()) {
            throw new IllegalArgumentException("a health check needs a command");
        }
    }

    /** From the {@code --health-*} flags; {@code cmd} is a shell command (Docker's CMD-SHELL). */
    public static HealthCheck fromFlags(String cmd, String interval, String timeout, String startPeriod, String retries)
            throws PelagosException {
        Duration i = interval == null ? DEFAULT_INTERVAL : positive("--health-interval", interval);
        Duration t = timeout == null ? DEFAULT_TIMEOUT : positive("--health-timeout", timeout);
        Duration s = startPeriod == null ? Duration.ZERO : Durations.parse("--health-start-period", startPeriod);
        int r = 3;
        if (retries != null) {
            try {
                r = Integer.parseInt(retries);
                if (r < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw PelagosException.invalid("invalid --health-retries '" + retries + "'", "give a whole number of at least 1");
            }
        }
        return new HealthCheck(List.of("/bin/sh", "-c", cmd), i, t, s, r);
    }

    private static Duration positive(String flag, String v) throws PelagosException {
        Duration d = Durations.parse(flag, v);
        if (d.toMillis() < 1) {
            throw PelagosException.invalid("invalid " + flag + " '" + v + "': it must be more than zero");
        }
        return d;
    }
}
