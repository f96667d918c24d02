package dev.pelagos.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.sys.seccomp.LibSeccomp;
import dev.pelagos.sys.seccomp.LibSeccompLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-path promise, checked in fresh JVMs: a cache hit loads no Gson, no JSON parsing or
 * resolving code and no FFM; a miss compiles and fills the cache. Also prints the timing figures
 * (cold JVM miss, cold JVM hit, in-process warm compile and hit) and the BPF size.
 */
class SeccompStartPathTest {
    private static final long CAPS = ProfileEvaluator.PELAGOS_DEFAULT_CAPS;

    @BeforeAll
    static void needsLibseccomp() {
        Assumptions.assumeTrue(LibSeccompLocator.find().isPresent(), "libseccomp.so.2 is not installed here");
    }

    @Test
    void aCacheHitInAFreshJvmLoadsNeitherGsonNorFfm(@TempDir Path cache) throws Exception {
        List<String> miss = probe(cache, false);
        assertThat(lastLine(miss)).startsWith("probe bpf-bytes=");
        try (var entries = java.nio.file.Files.list(cache)) {
            assertThat(entries.toList()).as("the miss filled the cache").hasSize(1);
        }

        List<String> hit = probe(cache, true);
        assertThat(lastLine(hit)).startsWith(lastLine(miss).split(" micros=")[0] + " micros=");
        // the JVM preloads a few foreign-ABI classes at boot; count only what loads once the probe runs
        int probeStart = indexOfFirst(hit, SeccompCacheHitProbe.class.getName());
        assertThat(probeStart).isNotNegative();
        List<String> loaded = hit.subList(probeStart, hit.size()).stream().filter(l -> l.contains("[class,load]")).toList();
        assertThat(loaded).as("classes a cache hit must not load")
                .noneMatch(l -> l.contains("com.google.gson"))
                .noneMatch(l -> l.contains("dev.pelagos.sys.seccomp.LibSeccomp "))
                .noneMatch(l -> l.contains("java.lang.foreign.Linker"))
                .noneMatch(l -> l.contains("jdk.internal.foreign.abi"))
                .noneMatch(l -> l.contains("SeccompProfileParser"))
                .noneMatch(l -> l.contains("SeccompResolver"))
                .noneMatch(l -> l.contains("java.security.MessageDigest"))
                .noneMatch(l -> l.contains("java.lang.runtime.SwitchBootstraps"));

        long[] hits = new long[3];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = micros(probe(cache, false));
        }
        Arrays.sort(hits);
        System.out.printf("seccomp figures: fresh JVM (no AOT cache): miss = parse+resolve+FFM load+compile %.1f ms, "
                + "hit median %.2f ms%n", micros(miss) / 1000.0, hits[1] / 1000.0);
    }

    @Test
    void warmFigures(@TempDir Path cache) throws Exception {
        LibSeccomp lib = LibSeccomp.load();
        SeccompHost host = SeccompHost.detect();
        SeccompCompiler compiler = new SeccompCompiler(() -> lib);
        ResolvedProfile resolved = ProfileEvaluator.builtin(CAPS, host.arch(), host.kernel());
        SeccompFilter filter = compiler.compile(resolved);
        int rounds = 20;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            filter = compiler.compile(ProfileEvaluator.builtin(CAPS, host.arch(), host.kernel()));
        }
        double warmCompileMs = (System.nanoTime() - start) / 1e6 / rounds;

        SeccompFilters filters = new SeccompFilters(cache, host, compiler);
        filters.filterFor(SeccompChoice.DEFAULT, CAPS);
        SeccompFilter hit = filters.filterFor(SeccompChoice.DEFAULT, CAPS).orElseThrow();
        start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            hit = filters.filterFor(SeccompChoice.DEFAULT, CAPS).orElseThrow();
        }
        double warmHitMs = (System.nanoTime() - start) / 1e6 / rounds;
        assertThat(hit.bpf()).isEqualTo(filter.bpf());
        assertThat(filter.instructionCount()).isBetween(100, 4096);
        System.out.printf("seccomp figures: warm parse+resolve+compile %.2f ms, warm cache hit %.3f ms, "
                + "%d rules, %d BPF instructions (%d bytes), libseccomp %s%n", warmCompileMs, warmHitMs,
                resolved.program().rules().size(), filter.instructionCount(), filter.bpf().length, lib.version());
    }

    private static List<String> probe(Path cache, boolean verbose) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"));
        if (verbose) {
            command.add("-verbose:class");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SeccompCacheHitProbe.class.getName(),
                cache.toString(), Long.toHexString(CAPS)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return Arrays.asList(text.split("\n"));
    }

    private static int indexOfFirst(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static String lastLine(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("probe ")).reduce((a, b) -> b).orElse("(no probe output)");
    }

    private static long micros(List<String> lines) {
        return Long.parseLong(lastLine(lines).split(" micros=")[1].strip());
    }
}
