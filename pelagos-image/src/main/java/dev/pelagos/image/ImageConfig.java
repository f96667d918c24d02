package dev.pelagos.image;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an image says about how to run it (the {@code config} part of the image configuration).
 * Lists and maps are never null; absent strings are empty.
 *
 * @param exposedPorts entries like {@code 80/tcp}
 * @param volumes container paths the image declares as volumes
 * @param healthcheck null when the image has none (or says NONE)
 */
public record ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workingDir, String user,
        List<String> exposedPorts, String stopSignal, Healthcheck healthcheck, List<String> volumes,
        Map<String, String> labels) {

    public static final ImageConfig EMPTY = new ImageConfig(List.of(), List.of(), List.of(), "", "", List.of(), "", null,
            List.of(), Map.of());

    public ImageConfig {
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        exposedPorts = List.copyOf(exposedPorts);
        stopSignal = stopSignal == null ? "" : stopSignal;
        volumes = List.copyOf(volumes);
        labels = Map.copyOf(labels);
    }

    /**
     * An image health check. {@code test} is the command to run ({@code CMD-SHELL} is already
     * turned into {@code /bin/sh -c}); durations use Docker's defaults when the image omits them.
     */
    public record Healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {
        public Healthcheck {
            test = List.copyOf(test);
        }
    }
}
