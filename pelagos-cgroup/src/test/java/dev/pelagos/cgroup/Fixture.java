package dev.pelagos.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Control files in a temp directory, standing in for a cgroup in unit tests (no root needed). */
final class Fixture {
    private Fixture() {
    }

    /** Creates dir/name with the given content (and dir itself). */
    static Path file(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates each named file empty. */
    static void files(Path dir, String... names) {
        for (String n : names) {
            file(dir, n, "");
        }
    }

    static String read(Path dir, String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
