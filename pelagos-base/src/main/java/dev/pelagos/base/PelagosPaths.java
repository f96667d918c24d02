package dev.pelagos.base;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place that knows where Pelagos keeps things (REFERENCE §5.6).
 * {@code data} holds what must survive a reboot (images, volumes, rootfs links);
 * {@code runtime} holds what describes running things (container state, locks).
 * Both can be overridden with PELAGOS_DATA_DIR / PELAGOS_RUNTIME_DIR (tests use this).
 */
public record PelagosPaths(Path data, Path runtime) {

    public static PelagosPaths detect() {
        String dataEnv = System.getenv("PELAGOS_DATA_DIR");
        String rtEnv = System.getenv("PELAGOS_RUNTIME_DIR");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path data;
        if (dataEnv != null && !dataEnv.isEmpty()) {
            data = Path.of(dataEnv);
        } else if (root || Files.isDirectory(Path.of("/var/lib/pelagos"))) {
            data = Path.of("/var/lib/pelagos");
        } else {
            String xdg = System.getenv("XDG_DATA_HOME");
            data = (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local/share"))
                    .resolve("pelagos");
        }
        Path rt;
        if (rtEnv != null && !rtEnv.isEmpty()) {
            rt = Path.of(rtEnv);
        } else if (root) {
            rt = Path.of("/run/pelagos");
        } else {
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            rt = xdg != null && !xdg.isEmpty() ? Path.of(xdg, "pelagos")
                    : Path.of("/tmp/pelagos-" + System.getProperty("user.name"));
        }
        return new PelagosPaths(data, rt);
    }

    public Path containers() {
        return runtime.resolve("containers");
    }

    public Path rootfsLinks() {
        return data.resolve("rootfs");
    }

    public Path volumes() {
        return data.resolve("volumes");
    }

    public Path images() {
        return data.resolve("images");
    }

    /** Compiled seccomp filters, keyed by profile hash, libseccomp version and arch. */
    public Path seccompCache() {
        return data.resolve("cache/seccomp");
    }
}
