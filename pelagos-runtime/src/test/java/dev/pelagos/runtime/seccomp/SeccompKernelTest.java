package dev.pelagos.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.sys.seccomp.LibSeccompLocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel accepts the compiled default filter and enforces it: a child JVM installs it on its
 * main thread and makes raw syscalls. Needs no root (no_new_privs makes the install unprivileged).
 */
class SeccompKernelTest {

    @Test
    void theKernelAcceptsAndEnforcesTheDefaultFilter(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(LibSeccompLocator.find().isPresent(), "libseccomp.so.2 is not installed here");
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64"), "the probe's syscall numbers are x86_64's");
        byte[] bpf = SeccompFilters.forContainer(SeccompChoice.DEFAULT, ProfileEvaluator.PELAGOS_DEFAULT_CAPS,
                dir.resolve("cache")).orElseThrow();
        Path file = Files.write(dir.resolve("filter.bpf"), bpf);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), SeccompInstallProbe.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        List<String> lines = Arrays.asList(out.split("\n"));

        assertThat(lines).as(out).contains("install=0,0", "getpid=ok", "unshare=-1/1", "mount=-1/1", "clone3=-1/38",
                "keyctl=-1/1", "personality_query=ok", "personality_bad=-1/1", "socket_vsock=-1/1", "socket_inet=ok");
    }
}
