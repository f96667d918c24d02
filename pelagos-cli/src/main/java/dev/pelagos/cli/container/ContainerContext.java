package dev.pelagos.cli.container;

import dev.pelagos.cli.Cli;
import dev.pelagos.runtime.container.Containers;
import dev.pelagos.runtime.container.Lifecycle;
import java.time.Duration;
import java.time.Instant;

/** What container verbs share: the library entry points and Docker-style time rendering. */
final class ContainerContext {
    final Containers containers;
    final Lifecycle lifecycle;

    ContainerContext(Cli cli) {
        this.containers = new Containers(cli.paths(), Cli.home());
        this.lifecycle = containers.lifecycle();
    }

    /** "5 seconds", "2 minutes", "3 hours", "4 days", like Docker's human durations. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 1) {
            return "Less than a second";
        }
        if (s < 60) {
            return s + " second" + (s == 1 ? "" : "s");
        }
        long m = s / 60;
        if (m < 60) {
            return m == 1 ? "About a minute" : m + " minutes";
        }
        long h = m / 60;
        if (h < 48) {
            return h == 1 ? "About an hour" : h + " hours";
        }
        long days = h / 24;
        return days + " days";
    }

    static String ago(Instant t) {
        return human(Duration.between(t, Instant.now())) + " ago";
    }
}
