package dev.pelagos.runtime.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** A root filesystem that is a plain directory ({@code --rootfs}). */
public record DirRootView(Path root) implements RootView {
    @Override
    public Optional<byte[]> readFile(String path, int maxBytes) throws IOException {
        Optional<Path> p = ConfinedPath.resolve(root, path);
        if (p.isEmpty() || !Files.isRegularFile(p.get(), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(p.get(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] data = in.readNBytes(maxBytes + 1);
            return data.length > maxBytes ? Optional.empty() : Optional.of(data);
        }
    }
}
