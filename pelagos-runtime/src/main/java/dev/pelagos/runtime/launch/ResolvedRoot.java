package dev.pelagos.runtime.launch;

import dev.pelagos.runtime.rootfs.RootView;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's root filesystem, ready to mount: where it will be mounted on the host, how
 * (an overlay of image layers, or null to bind a plain directory onto itself), a read-only view
 * of its files for user lookup, and the image's defaults.
 */
public record ResolvedRoot(Path mountpoint, MountEntry rootMount, RootView view, ImageDefaults defaults, String imageReference) {

    /** A root that is not an image. */
    public ResolvedRoot(Path mountpoint, MountEntry rootMount, RootView view, ImageDefaults defaults) {
        this(mountpoint, rootMount, view, defaults, null);
    }

    /** What an image contributes; everything empty for a plain root filesystem directory. */
    public record ImageDefaults(List<String> env, List<String> entrypoint, List<String> cmd, String workdir, String user,
            String stopSignal, dev.pelagos.runtime.spec.HealthCheck health) {
        public static final ImageDefaults NONE = new ImageDefaults(List.of(), List.of(), List.of(), null, null, null, null);

        public ImageDefaults(List<String> env, List<String> entrypoint, List<String> cmd, String workdir, String user) {
            this(env, entrypoint, cmd, workdir, user, null, null);
        }

        public ImageDefaults {
            env = env == null ? List.of() : List.copyOf(env);
            entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
            cmd = cmd == null ? List.of() : List.copyOf(cmd);
        }
    }
}
