package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real {@code dist/bin/pelagos} as a subprocess, with its data and runtime directories in
 * a test's temporary directory (never /var/lib/pelagos or /run/pelagos). Finds the test fixtures
 * (system property or env {@code pelagos.fixtures} / {@code PELAGOS_TEST_FIXTURES}, else it runs
 * {@code scripts/test-fixtures.sh}) and skips, with the reason, when it cannot run here.
 */
public final class Pelagos {
    private static final long TIMEOUT_SECONDS = 30;
    private static Path fixtures;

    private final Path data;
    private final Path runtime;
    /**
     * Where the name service of bridge networks asks about other names: nowhere that answers, unless
     * a test says otherwise (tests never send queries beyond the host).
     */
    private String dnsUpstreams = "127.0.0.1:9";

    /** The outcome of one command. */
    public record Result(int code, String out, String err) {
        public List<String> errLines() {
            return err.lines().toList();
        }

        /** The probe's report (JSON on stdout). */
        public JsonObject json() {
            assertThat(code).as("exit code; stderr: %s", err).isZero();
            return JsonParser.parseString(out).getAsJsonObject();
        }

        public String field(String name) {
            return json().get(name).getAsString();
        }

        public List<String> mounts() {
            List<String> l = new ArrayList<>();
            json().getAsJsonArray("mounts").forEach(e -> l.add(e.getAsString()));
            return l;
        }

        /** stdout, trimmed, for one-line probe answers. */
        public String line() {
            return out.strip();
        }
    }

    public Pelagos(Path tmp) {
        requireEnvironment();
        this.data = tmp.resolve("pelagos-data");
        this.runtime = tmp.resolve("pelagos-run");
    }

    /** The upstream resolvers ({@code ADDRESS:PORT,...}) a name service this instance starts will ask. */
    public Pelagos dnsUpstreams(String upstreams) {
        this.dnsUpstreams = upstreams;
        return this;
    }

    /** Skips the calling test (with the reason) unless we are root and dist is built. */
    public static void requireEnvironment() {
        assumeTrue("root".equals(System.getProperty("user.name")), "integration tests need root (they create namespaces and mounts)");
        assumeTrue(Files.isExecutable(installedHome().resolve("bin/pelagos")),
                "dist is not built: " + installedHome().resolve("bin/pelagos") + " is missing (run mvn package first)");
        assumeTrue(Files.isExecutable(home().resolve("libexec/pelagos-helper")), "dist has no helper");
    }

    /** The installation under test: where {@code pelagos.home} points. */
    public static Path installedHome() {
        String h = System.getProperty("pelagos.home");
        return Path.of(h != null ? h : "../dist").toAbsolutePath().normalize();
    }

    private static Path snapshot;

    /**
     * A private copy of the installation, taken once per test JVM: dist/ is rebuilt by other builds
     * while a suite runs, and a jar or AOT cache swapped mid-run makes tests fail for no fault of the
     * code under test. {@code -Dpelagos.it.snapshot=false} uses dist/ directly.
     */
    public static synchronized Path home() {
        if (!Boolean.parseBoolean(System.getProperty("pelagos.it.snapshot", "true"))) {
            return installedHome();
        }
        if (snapshot != null) {
            return snapshot;
        }
        Path src = installedHome();
        if (!Files.isExecutable(src.resolve("bin/pelagos"))) {
            return src;
        }
        try {
            for (int attempt = 1; ; attempt++) {
                Path dst = Files.createTempDirectory(Path.of("/var/tmp"), "pelagos-it-dist-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dst)));
                String before = listing(src);
                Process cp = new ProcessBuilder("cp", "-a", src + "/.", dst.toString()).inheritIO().start();
                // a copy taken while a build rewrote dist/ (e.g. half an AOT cache) is not a working copy;
                // its --version says more than its three lines (the JVM's complaints)
                Process check = cp.waitFor() == 0 && before.equals(listing(src))
                        ? new ProcessBuilder(dst.resolve("bin/pelagos").toString(), "--version").redirectErrorStream(true).start()
                        : null;
                String said = check == null ? "" : new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (check != null && check.waitFor() == 0 && said.startsWith("pelagos version") && said.lines().count() == 3) {
                    snapshot = dst;
                    return snapshot;
                }
                deleteTree(dst);
                if (attempt == 5) {
                    throw new AssertionError("cannot take a working copy of " + src + " (is it being rebuilt?): " + said);
                }
                Thread.sleep(3000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every file under dir with its size and modification time: equal before and after a copy = a consistent copy. */
    private static String listing(Path dir) {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted().toList()) {
                sb.append(p).append(' ').append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p)).append('\n');
            }
        } catch (IOException | UncheckedIOException e) {
            return "changing at " + System.nanoTime(); // never equal to another listing: try again
        }
        return sb.toString();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort at exit
        }
    }

    public static Path launcher() {
        return home().resolve("bin/pelagos");
    }

    /** The fixture directory, built once per JVM; skips when it cannot be built. */
    public static synchronized Path fixtures() {
        if (fixtures != null) {
            return fixtures;
        }
        String given = System.getProperty("pelagos.fixtures", System.getenv("PELAGOS_TEST_FIXTURES"));
        if (given != null && Files.isDirectory(Path.of(given, "probe"))) {
            fixtures = Path.of(given);
            return fixtures;
        }
        Path script = installedHome().getParent().resolve("scripts/test-fixtures.sh");
        assumeTrue(Files.isExecutable(script), "no fixtures: set -Dpelagos.fixtures=DIR or provide " + script);
        try {
            ProcessBuilder pb = new ProcessBuilder(script.toString());
            pb.environment().put("PELAGOS_PROBE", home().resolve("libexec/pelagos-probe").toString());
            pb.redirectErrorStream(false);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assumeTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "test-fixtures.sh failed: " + err);
            fixtures = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
            return fixtures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Path probeRootfs() {
        return fixtures().resolve("probe");
    }

    public static Path busyboxRootfs() {
        Path b = fixtures().resolve("busybox");
        assumeTrue(Files.isExecutable(b.resolve("bin/busybox")), "no busybox rootfs (install busybox-static)");
        return b;
    }

    /** A private copy of a hostile fixture, so a run that writes into it cannot affect the next test. */
    public static Path hostileCopy(String name, Path into) throws IOException, InterruptedException {
        return copy(fixtures().resolve("hostile").resolve(name), into.resolve(name));
    }

    /**
     * A private copy of the probe rootfs, for tests whose mounts create their targets in the root
     * (as Docker creates mount points in a container's layer): the shared fixture stays clean.
     */
    public static Path probeRootfsCopy(Path into) throws IOException, InterruptedException {
        return copy(probeRootfs(), into.resolve("probe-rootfs"));
    }

    private static Path copy(Path src, Path dst) throws IOException, InterruptedException {
        assertThat(src).isDirectory();
        Process p = new ProcessBuilder("cp", "-a", src.toString(), dst.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return dst;
    }

    private ProcessBuilder builder(List<String> argv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        environment(pb.environment());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb;
    }

    public void environment(Map<String, String> env) {
        env.put("PELAGOS_DATA_DIR", data.toString());
        env.put("PELAGOS_RUNTIME_DIR", runtime.toString());
        env.put("PELAGOS_DNS_UPSTREAMS", dnsUpstreams);
    }

    /** Runs {@code pelagos ARGS...} to completion. */
    public Result run(String... argv) {
        return run(Arrays.asList(argv));
    }

    public Result run(List<String> argv) {
        return exec(builder(argv));
    }

    /** Runs any command line (e.g. a shell that starts pelagos with extra fds) with our environment. */
    public Result exec(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        environment(pb.environment());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return exec(pb);
    }

    private static Result exec(ProcessBuilder pb) {
        try {
            Path out = Files.createTempFile("pelagos-it-out", ".txt");
            Path err = Files.createTempFile("pelagos-it-err", ".txt");
            try {
                pb.redirectOutput(out.toFile());
                pb.redirectError(err.toFile());
                Process p = pb.start();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                    throw new AssertionError("timed out after " + TIMEOUT_SECONDS + " s: " + pb.command() + "\nstderr: "
                            + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code run --rm --rootfs ROOTFS [OPTIONS...] -- CMD...}: options and command kept apart. */
    public Result runIn(Path rootfs, List<String> options, String... command) {
        List<String> argv = new ArrayList<>(List.of("run", "--rm", "--rootfs", rootfs.toString()));
        argv.addAll(options);
        argv.addAll(Arrays.asList(command));
        return run(argv);
    }

    /** The probe in the probe rootfs. */
    public Result probe(List<String> options, String... probeArgs) {
        List<String> cmd = new ArrayList<>(List.of("/probe"));
        cmd.addAll(Arrays.asList(probeArgs));
        return runIn(probeRootfs(), options, cmd.toArray(String[]::new));
    }

    /** A running {@code pelagos} whose stdout lines can be awaited. */
    public Running start(String... argv) throws IOException {
        ProcessBuilder pb = builder(Arrays.asList(argv));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new Running(pb.start());
    }

    public static final class Running implements AutoCloseable {
        public final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        public Running(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        /** Waits for the next line of stdout, or fails after {@code seconds}. */
        public String nextLine(int seconds) throws InterruptedException {
            String l = lines.poll(seconds, TimeUnit.SECONDS);
            if (l == null) {
                throw new AssertionError("no output line within " + seconds + " s");
            }
            return l;
        }

        public void signal(String name) throws IOException, InterruptedException {
            Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(k.waitFor()).isZero();
        }

        public int waitFor(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("pelagos did not exit within " + seconds + " s");
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    public Path runtimeDir() {
        return runtime;
    }

    public Path dataDir() {
        return data;
    }

    /** State directories and name entries that exist now (the names directory's own lock file aside). */
    public List<Path> leftovers() {
        List<Path> l = new ArrayList<>();
        // state, names, and the bridge networks' namespace files, address claims and published ports
        List<Path> dirs = new ArrayList<>(List.of(runtime.resolve("containers"), runtime.resolve("names"),
                runtime.resolve("networks/netns"), runtime.resolve("networks/ports")));
        if (Files.isDirectory(runtime.resolve("networks"))) {
            try (Stream<Path> s = Files.list(runtime.resolve("networks"))) {
                s.map(n -> n.resolve("ips")).filter(Files::isDirectory).forEach(dirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> !p.getFileName().toString().equals(".lock")).forEach(l::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return l;
    }

    /**
     * Removes containers started without --rm: through `pelagos rm -f` (which also destroys their
     * cgroups), then whatever files are still there.
     */
    public void removeState() throws IOException {
        Path names = runtime.resolve("names");
        if (Files.isDirectory(names)) {
            try (Stream<Path> s = Files.list(names)) {
                for (Path n : s.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                    run("rm", "-f", n.getFileName().toString());
                }
            }
        }
        for (Path p : leftovers()) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }

    /** Lines of the host's mount table that mention any of the given paths. */
    public static List<String> hostMountsMentioning(Path... paths) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            for (Path p : paths) {
                if (line.contains(p.toString())) {
                    out.add(line);
                    break;
                }
            }
        }
        return out;
    }

    /** One-line error contract: {@code pelagos: error: ...}, optionally followed by {@code hint: ...}. */
    public static void assertOneErrorLine(Result r) {
        List<String> lines = r.errLines();
        assertThat(lines).as("stderr of a failed run").isNotEmpty().hasSizeLessThanOrEqualTo(2);
        assertThat(lines.getFirst()).startsWith("pelagos: error: ").doesNotContain("internal error").doesNotContain("Exception");
        if (lines.size() == 2) {
            assertThat(lines.get(1)).startsWith("hint: ");
        }
    }
}
