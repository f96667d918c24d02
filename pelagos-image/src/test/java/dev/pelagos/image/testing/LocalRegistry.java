package dev.pelagos.image.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real registry for integration tests: Debian's {@code docker-registry} on 127.0.0.1 with a free
 * port, storage in a temp dir, optional htpasswd auth. Stopped by PID. Tests skip (with the reason)
 * when the program or htpasswd is missing.
 */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static LocalRegistry start(Path dir, String user, String password) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")), "docker-registry is not installed (apt-get install docker-registry)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StringBuilder cfg = new StringBuilder("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ")
                .append(dir.resolve("storage")).append("\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:").append(port).append('\n');
        if (user != null) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/htpasswd")), "htpasswd is not installed (apt-get install apache2-utils)");
            Process h = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (h.waitFor() != 0) {
                throw new IllegalStateException("htpasswd failed");
            }
            Files.writeString(dir.resolve("htpasswd"), line + "\n");
            cfg.append("auth:\n  htpasswd:\n    realm: pelagos-test\n    path: ").append(dir.resolve("htpasswd")).append('\n');
        }
        Files.writeString(dir.resolve("config.yml"), cfg);
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry r = new LocalRegistry(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
                int code = c.getResponseCode();
                if (code == 200 || code == 401) {
                    return r;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        r.close();
        throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Runs a program, fails with its output when it exits non-zero; returns stdout+stderr. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    public static void requireTool(String path) {
        assumeTrue(Files.isExecutable(Path.of(path)), path + " is not installed");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
