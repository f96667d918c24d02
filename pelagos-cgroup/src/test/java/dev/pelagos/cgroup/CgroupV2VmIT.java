package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.base.PelagosException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots one throw-away VM with a pure cgroup v2 kernel (../vm/run-in-vm) and runs {@link CgroupV2IT}
 * inside it with the host's JDK and this build's classes (the repository is shared into the guest),
 * then asserts that every v2 test ran and passed there. Skipped, with the reason, where no VM can be
 * booted, on a host that is itself v2 (CgroupV2IT runs directly there), or when already inside the VM.
 */
class CgroupV2VmIT {
    private static final long VM_TIMEOUT_SECONDS = 600;

    @TempDir
    Path tmp;

    @Test
    void theV2DriverPassesItsTestsInsideACgroupV2Vm(TestReporter report) throws Exception {
        Assumptions.assumeFalse("skip".equals(System.getProperty("pelagos.vm")), "the VM tests are off (-Dpelagos.vm=skip)");
        Assumptions.assumeFalse("1".equals(System.getenv("PELAGOS_VM")), "already inside the test VM");
        Assumptions.assumeTrue(CgroupBehaviourContract.isRoot(), "booting the test VM needs root");
        Assumptions.assumeTrue(hostVersion() != 2, "this host is cgroup v2 itself: CgroupV2IT runs there directly");
        Path harness = repository().resolve("vm/run-in-vm");
        Assumptions.assumeTrue(Files.isExecutable(harness), "no VM harness at " + harness);
        Run check = run(List.of(harness.toString(), "--check"), 60);
        Assumptions.assumeTrue(check.status == 0, "cannot boot the test VM here: " + check.output.strip());

        String classPath = testClassPath();
        List<String> command = new ArrayList<>(List.of(harness.toString(), "--timeout", Long.toString(VM_TIMEOUT_SECONDS)));
        for (String dir : hiddenInTheGuest(classPath)) {
            command.addAll(List.of("--share", dir));
        }
        command.addAll(List.of("--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                VmTestRunner.class.getName(), CgroupV2IT.class.getName()));
        long t0 = System.nanoTime();
        Run vm = run(command, VM_TIMEOUT_SECONDS + 60);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        // kept for CI logs and vm/test-cgroup-v2.sh, which prints it
        Files.writeString(repository().resolve("pelagos-cgroup/target/cgroup-v2-vm.log"), vm.output);
        report.publishEntry("vm", "boot + " + CgroupV2IT.class.getSimpleName() + " took " + seconds + " s");
        for (String line : vm.output.lines().filter(l -> l.startsWith("REPORT ") || l.startsWith("RESULT ")).toList()) {
            report.publishEntry("guest", line);
        }

        int expected = testsIn(CgroupBehaviourContract.class);
        assertThat(vm.output).as("guest output:%n%s", vm.output)
                .contains("SUMMARY succeeded=" + expected + " failed=0 skipped=0");
        assertThat(vm.status).as("guest output:%n%s", vm.output).isZero();
    }

    private static int hostVersion() {
        try {
            return CgroupDriver.detect().version();
        } catch (PelagosException e) {
            return 0;
        }
    }

    private static int testsIn(Class<?> type) {
        return (int) Arrays.stream(type.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
    }

    /** The module's directory is target/..; the repository (with vm/) is one up. */
    private static Path repository() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        return module.getParent();
    }

    /** This JVM's test classpath (failsafe may hide it behind a manifest-only jar). */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        for (String entry : cp.split(File.pathSeparator)) {
            if (!Path.of(entry).isAbsolute()) {
                throw new IllegalStateException("relative classpath entry " + entry + " will not resolve in the VM");
            }
        }
        return cp;
    }

    /**
     * The guest sees the host's root, but with fresh /tmp and /run: classpath entries there (a
     * Maven repository in /tmp, say) must be shared explicitly.
     */
    private static List<String> hiddenInTheGuest(String classPath) {
        List<String> dirs = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if ((p.startsWith("/tmp") || p.startsWith("/run")) && p.getNameCount() > 2) {
                // one share per top directory (e.g. /tmp/m2), not per jar: qemu has few PCI slots
                String top = Path.of("/").resolve(p.subpath(0, 2)).toString();
                if (!dirs.contains(top)) {
                    dirs.add(top);
                }
            }
        }
        return dirs;
    }

    private record Run(int status, String output) {
    }

    private Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "vm", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        return new Run(p.exitValue(), Files.readString(log));
    }
}
