package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.image.ImageConfig;
import dev.pelagos.image.LocalImage;
import dev.pelagos.runtime.launch.MountEntry;
import dev.pelagos.runtime.launch.ResolvedRoot;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.rootfs.LayeredRootView;
import dev.pelagos.runtime.spec.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An image as a container's root: an overlay of its unpacked layers (shared, read-only) under a
 * per-container upper directory, plus the image's run defaults.
 */
final class ImageRoot {
    private ImageRoot() {
    }

    static ResolvedRoot of(LocalImage image, Path overlayDir) throws PelagosException {
        List<Path> topFirst = new ArrayList<>(image.layerDirs());
        Collections.reverse(topFirst);
        String lower;
        if (topFirst.isEmpty()) {
            // an image with no layers (FROM scratch + metadata): an empty lower dir
            lower = overlayDir.resolve("empty").toString();
        } else {
            lower = String.join(":", topFirst.stream().map(Path::toString).toList());
        }
        String data = "lowerdir=" + lower + ",upperdir=" + overlayDir.resolve("upper") + ",workdir=" + overlayDir.resolve("work");
        if (data.length() > 4000) {
            throw PelagosException.invalid("image " + image.reference() + " has too many layers to mount ("
                    + topFirst.size() + ")", "flatten the image");
        }
        MountEntry root = new MountEntry("overlay", "/", "overlay", 0, 0, SpecTag.MNT_ROOT, data);
        ImageConfig cfg = image.config();
        HealthCheck health = cfg.healthcheck() == null ? null : new HealthCheck(cfg.healthcheck().test(),
                cfg.healthcheck().interval(), cfg.healthcheck().timeout(), cfg.healthcheck().startPeriod(),
                cfg.healthcheck().retries());
        return new ResolvedRoot(overlayDir.resolve("merged"), root, new LayeredRootView(topFirst),
                new ResolvedRoot.ImageDefaults(cfg.env(), cfg.entrypoint(), cfg.cmd(), cfg.workingDir(), cfg.user(),
                        cfg.stopSignal().isEmpty() ? null : cfg.stopSignal(), health), image.reference());
    }

    static void createDirs(Path overlayDir) throws PelagosException {
        try {
            for (String d : List.of("upper", "work", "merged", "empty")) {
                Files.createDirectories(overlayDir.resolve(d));
            }
        } catch (IOException e) {
            throw PelagosException.io("create the overlay directories in " + overlayDir, e);
        }
    }

    static void removeDirs(Path overlayDir) {
        if (!Files.isDirectory(overlayDir)) {
            return;
        }
        try {
            dev.pelagos.base.FileTrees.delete(overlayDir);
        } catch (IOException e) {
            System.getLogger(ImageRoot.class.getName()).log(System.Logger.Level.WARNING,
                    "could not remove " + overlayDir + ": " + e.getMessage());
        }
    }
}
