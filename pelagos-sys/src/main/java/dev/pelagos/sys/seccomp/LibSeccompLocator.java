package dev.pelagos.sys.seccomp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the installed {@code libseccomp.so.2} and its version with plain file-system calls, so the
 * container start path can key its filter cache without loading the library through FFM.
 * The version comes from the name the soname link resolves to ({@code libseccomp.so.2.5.4}).
 */
public final class LibSeccompLocator {
    static final String SONAME = "libseccomp.so.2";

    /** Where the library was found and which version it is. */
    public record Installed(Path path, String version) {
    }

    private LibSeccompLocator() {
    }

    public static Optional<Installed> find() {
        return findIn(searchDirectories(System.getProperty("os.arch", "")));
    }

    static Optional<Installed> findIn(List<Path> directories) {
        for (Path dir : directories) {
            Path candidate = dir.resolve(SONAME);
            if (Files.isRegularFile(candidate)) {
                try {
                    return Optional.of(new Installed(candidate, versionOf(candidate)));
                } catch (IOException e) {
                    // unreadable or vanished between the checks: try the next directory
                }
            }
        }
        return Optional.empty();
    }

    /** {@code 2.5.4} from {@code libseccomp.so.2.5.4}; a file that is not a versioned link gets a size/mtime stamp. */
    static String versionOf(Path library) throws IOException {
        Path real = library.toRealPath();
        String name = real.getFileName().toString();
        String prefix = "libseccomp.so.";
        if (name.startsWith(prefix) && name.length() > prefix.length() && name.substring(prefix.length()).contains(".")) {
            return name.substring(prefix.length());
        }
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        return "unversioned-" + attributes.size() + "-" + attributes.lastModifiedTime().toMillis();
    }

    static List<Path> searchDirectories(String javaArch) {
        String triplet = switch (javaArch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            case "loongarch64" -> "loongarch64-linux-gnu";
            default -> null;
        };
        List<Path> dirs = new ArrayList<>();
        if (triplet != null) {
            dirs.add(Path.of("/usr/lib", triplet));
            dirs.add(Path.of("/lib", triplet));
        }
        for (String dir : List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib64", "/usr/local/lib")) {
            dirs.add(Path.of(dir));
        }
        return dirs;
    }
}
