package dev.pelagos.cli.it;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The throw-away VM (vm/run-in-vm: a stock Debian kernel with pure cgroup v2) for ITs whose kernel
 * features this host lacks. A test writes a shell script, runs it in ONE boot with the dist under
 * test, and asserts on the "RESULT key value" lines it printed. Every check here is an assumption:
 * where no VM can boot, the test is skipped with the reason.
 */
public final class TestVm {
    private final Path repo;
    private final Path harness;

    /** What a guest script printed: its exit status, whole output and RESULT lines. */
    public record Outcome(int status, String output, Map<String, String> results) {
    }

    private TestVm(Path repo, Path harness) {
        this.repo = repo;
        this.harness = harness;
    }

    /** The VM, or the test is skipped with why there is none. */
    public static TestVm require() throws IOException, InterruptedException {
        assumeFalse("skip".equals(System.getProperty("pelagos.vm")), "the VM tests are off (-Dpelagos.vm=skip)");
        assumeFalse("1".equals(System.getenv("PELAGOS_VM")), "already inside the test VM");
        Pelagos.requireEnvironment();
        Path repo = Pelagos.installedHome().getParent();
        Path harness = repo.resolve("vm/run-in-vm");
        assumeTrue(Files.isExecutable(harness), "no VM harness at " + harness);
        Outcome check = exec(List.of(harness.toString(), "--check"), 120);
        assumeTrue(check.status() == 0, "cannot boot the test VM here: " + check.output().strip());
        Path pelagos = Pelagos.launcher();
        assumeFalse(pelagos.startsWith("/tmp") || pelagos.startsWith("/run"), "the dist under test is in " + pelagos
                + ", which the guest does not see");
        return new TestVm(repo, harness);
    }

    /** A path in the repository's pelagos-cli/target, which the guest sees read-write at the same place. */
    public Path shared(String name) throws IOException {
        Path p = repo.resolve("pelagos-cli/target").resolve(name);
        Files.createDirectories(p.getParent());
        return p;
    }

    /**
     * Runs {@code script} with /bin/sh in the guest with {@code args}; its output is also kept in
     * {@code target/NAME.log}.
     */
    public Outcome run(String name, String script, List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
        Path file = shared(name + ".sh");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of(harness.toString(), "--timeout", Integer.toString(timeoutSeconds), "--",
                "/bin/sh", file.toString()));
        cmd.addAll(args);
        Outcome o = exec(cmd, timeoutSeconds + 60L);
        Files.writeString(shared(name + ".log"), o.output());
        return o;
    }

    private static Outcome exec(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("pelagos-vm-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
            String output = Files.readString(log);
            Map<String, String> results = new LinkedHashMap<>();
            output.lines().filter(l -> l.startsWith("RESULT ")).forEach(l -> {
                String[] f = l.split(" ", 3);
                results.put(f[1], f.length > 2 ? f[2] : "");
            });
            return new Outcome(p.exitValue(), output, results);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
