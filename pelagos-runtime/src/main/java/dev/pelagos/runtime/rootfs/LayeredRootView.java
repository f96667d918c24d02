package dev.pelagos.runtime.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The files of an image before its overlay is mounted: looks a path up in the layers top-first, as
 * overlayfs would, stopping at a whiteout ({@code .wh.NAME}) or an opaque directory
 * ({@code .wh..wh..opq}) that hides the lower layers. Symlinks resolve within one layer's view.
 */
public record LayeredRootView(List<Path> layersTopFirst) implements RootView {
    public LayeredRootView {
        layersTopFirst = List.copyOf(layersTopFirst);
    }

    @Override
    public Optional<byte[]> readFile(String path, int maxBytes) throws IOException {
        String rel = path.replaceAll("^/+", "");
        for (Path layer : layersTopFirst) {
            if (hidden(layer, rel)) {
                return Optional.empty();
            }
            Optional<Path> p = ConfinedPath.resolve(layer, rel);
            if (p.isPresent() && Files.exists(p.get(), LinkOption.NOFOLLOW_LINKS)) {
                return new DirRootView(layer).readFile(path, maxBytes);
            }
            if (opaqueAbove(layer, rel)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A whiteout for the path (or one of its parents) in this layer deletes it from everything below. */
    private static boolean hidden(Path layer, String rel) {
        Path p = layer;
        for (String part : rel.split("/")) {
            if (Files.exists(p.resolve(".wh." + part), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            p = p.resolve(part);
        }
        return false;
    }

    /** An opaque parent directory in this layer hides the lower layers' content of it. */
    private static boolean opaqueAbove(Path layer, String rel) {
        Path p = layer;
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            p = p.resolve(parts[i]);
            if (Files.exists(p.resolve(".wh..wh..opq"), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }
}
