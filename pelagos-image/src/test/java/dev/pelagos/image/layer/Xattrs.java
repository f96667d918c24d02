package dev.pelagos.image.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads an extended attribute through {@code getfattr} (the JDK reads only user.* ones); test-only. */
final class Xattrs {
    private Xattrs() {
    }

    static boolean available() {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/getfattr"));
    }

    static String get(java.nio.file.Path p, String name) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("getfattr", "-h", "--only-values", "-n", name, p.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = proc.getInputStream().readAllBytes();
        return proc.waitFor() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }
}
