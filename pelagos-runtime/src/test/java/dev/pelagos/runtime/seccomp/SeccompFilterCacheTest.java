package dev.pelagos.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.sys.seccomp.CompiledFilter;
import dev.pelagos.sys.seccomp.FilterProgram;
import dev.pelagos.sys.seccomp.SeccompBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompFilterCacheTest {
    private static final SeccompHost HOST = new SeccompHost(NativeArch.X86_64, "6.18.44-fc-v595", "2.5.4");
    private static final long CAPS = ProfileEvaluator.PELAGOS_DEFAULT_CAPS;

    /** Stands in for libseccomp: one "instruction" per rule plus a return, and counts its calls. */
    static final class CountingBackend implements SeccompBackend {
        int compiles;
        FilterProgram last;

        @Override
        public String version() {
            return "test";
        }

        @Override
        public CompiledFilter compile(FilterProgram program) {
            compiles++;
            last = program;
            ByteBuffer bpf = ByteBuffer.allocate(8 * (program.rules().size() + 1)).order(ByteOrder.nativeOrder());
            for (int i = 0; i < program.rules().size(); i++) {
                bpf.putShort((short) 0x15).put((byte) 0).put((byte) 0).putInt(program.rules().get(i).action());
            }
            bpf.putShort((short) 0x06).put((byte) 0).put((byte) 0).putInt(program.defaultAction());
            return new CompiledFilter(bpf.array(), List.of());
        }
    }

    @Test
    void theKeyChangesWithEveryInput() {
        String base = SeccompFilterCache.key("builtin:x", CAPS, HOST);
        assertThat(base).isEqualTo("v2,builtin%3ax,800405fb,x86_64,6.18.44-fc-v595,2.5.4")
                .isEqualTo(SeccompFilterCache.key("builtin:x", CAPS, HOST));
        assertThat(SeccompFilterCache.key("builtin:y", CAPS, HOST)).isNotEqualTo(base);
        assertThat(SeccompFilterCache.key("builtin:x", CAPS | 1L << 21, HOST)).isNotEqualTo(base);
        assertThat(SeccompFilterCache.key("builtin:x", CAPS, new SeccompHost(NativeArch.AARCH64, "6.18.44-fc-v595", "2.5.4")))
                .isNotEqualTo(base);
        assertThat(SeccompFilterCache.key("builtin:x", CAPS, new SeccompHost(NativeArch.X86_64, "6.19.0", "2.5.4")))
                .isNotEqualTo(base);
        assertThat(SeccompFilterCache.key("builtin:x", CAPS, new SeccompHost(NativeArch.X86_64, "6.18.44-fc-v595", "2.6.0")))
                .isNotEqualTo(base);
    }

    @Test
    void fieldsCannotBleedIntoEachOtherAndFreakReleasesStayShort() {
        assertThat(SeccompFilterCache.key("a", CAPS, new SeccompHost(NativeArch.X86_64, "6.1,2.5.4", "x")))
                .isNotEqualTo(SeccompFilterCache.key("a", CAPS, new SeccompHost(NativeArch.X86_64, "6.1", "2.5.4,x")))
                .doesNotContain("/");
        String freak = SeccompFilterCache.key("a", CAPS, new SeccompHost(NativeArch.X86_64, "6.1-" + "\u00e9/".repeat(80), "x"));
        assertThat(freak).matches("[0-9a-f]{64}");
    }

    @Test
    void writeThenReadRoundTripsBytesAndFlags(@TempDir Path dir) throws Exception {
        SeccompFilterCache cache = new SeccompFilterCache(dir.resolve("cache/seccomp"));
        SeccompFilter filter = new SeccompFilter(new byte[] {6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f}, 6);
        cache.write("k", filter);

        SeccompFilter back = cache.read("k").orElseThrow();
        assertThat(back.bpf()).isEqualTo(filter.bpf());
        assertThat(back.flags()).isEqualTo(6);
        assertThat(cache.read("other")).isEmpty();
        try (var files = Files.list(dir.resolve("cache/seccomp"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("k.bpf");
        }
    }

    @Test
    void aTornOrForeignFileIsAMiss(@TempDir Path dir) throws Exception {
        SeccompFilterCache cache = new SeccompFilterCache(dir);
        Files.write(dir.resolve("short.bpf"), new byte[] {'P', 'S', 'C', '1', 0, 0, 0, 0, 6, 0, 0});
        Files.write(dir.resolve("magic.bpf"), new byte[] {'X', 'X', 'X', 'X', 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0});
        Files.write(dir.resolve("empty.bpf"), new byte[0]);
        assertThat(cache.read("short")).isEmpty();
        assertThat(cache.read("magic")).isEmpty();
        assertThat(cache.read("empty")).isEmpty();
    }

    @Test
    void theSecondStartIsAHitAndACorruptedEntryIsRebuilt(@TempDir Path dir) throws Exception {
        CountingBackend backend = new CountingBackend();
        SeccompFilters filters = new SeccompFilters(dir, HOST, new SeccompCompiler(() -> backend));

        SeccompFilter first = filters.filterFor(SeccompChoice.DEFAULT, CAPS).orElseThrow();
        SeccompFilter second = filters.filterFor(SeccompChoice.DEFAULT, CAPS).orElseThrow();
        assertThat(backend.compiles).isEqualTo(1);
        assertThat(second.bpf()).isEqualTo(first.bpf());

        filters.filterFor(SeccompChoice.DEFAULT, CAPS | ProfileEvaluator.CAP_SYS_ADMIN);
        assertThat(backend.compiles).as("other capabilities are another key").isEqualTo(2);

        Path entry = new SeccompFilterCache(dir).file(SeccompFilterCache.key(BuiltinProfile.IDENTITY, CAPS, HOST));
        Files.write(entry, new byte[] {1, 2, 3});
        assertThat(filters.filterFor(SeccompChoice.DEFAULT, CAPS).orElseThrow().bpf()).isEqualTo(first.bpf());
        assertThat(backend.compiles).isEqualTo(3);
        assertThat(new SeccompFilterCache(dir).read(SeccompFilterCache.key(BuiltinProfile.IDENTITY, CAPS, HOST))).isPresent();
    }

    @Test
    void aProfileFileIsKeyedByItsBytes(@TempDir Path dir) throws Exception {
        CountingBackend backend = new CountingBackend();
        SeccompFilters filters = new SeccompFilters(dir.resolve("cache"), HOST, new SeccompCompiler(() -> backend));
        Path profile = dir.resolve("p.json");
        Files.writeString(profile, SeccompProfileParserTest.THIRD_PARTY);

        filters.filterFor(SeccompChoice.file(profile), CAPS);
        filters.filterFor(SeccompChoice.file(profile), CAPS);
        assertThat(backend.compiles).isEqualTo(1);
        assertThat(backend.last.architectures()).containsExactly("x86_64", "x86", "x32");

        Files.writeString(profile, SeccompProfileParserTest.THIRD_PARTY.replace("\"getpid\", ", ""));
        filters.filterFor(SeccompChoice.file(profile), CAPS);
        assertThat(backend.compiles).isEqualTo(2);
        assertThat(backend.last.rules()).noneMatch(r -> r.syscall().equals("getpid"));
    }

    @Test
    void unconfinedNeedsNothing(@TempDir Path dir) throws Exception {
        CountingBackend backend = new CountingBackend();
        SeccompFilters filters = new SeccompFilters(dir.resolve("cache"), HOST, new SeccompCompiler(() -> backend));
        assertThat(filters.filterFor(SeccompChoice.UNCONFINED, CAPS)).isEmpty();
        assertThat(SeccompFilters.forContainer(SeccompChoice.UNCONFINED, CAPS, dir.resolve("cache"))).isEqualTo(Optional.empty());
        assertThat(backend.compiles).isZero();
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void anInMemoryOciProfileIsCachedByItsContent(@TempDir Path dir) throws Exception {
        CountingBackend backend = new CountingBackend();
        SeccompFilters filters = new SeccompFilters(dir, HOST, new SeccompCompiler(() -> backend));
        SeccompProfile profile = SeccompProfileParser.parse(
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], "
                        + "\"syscalls\": [{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\"}]}", "config.json");
        SeccompFilter first = filters.filterFor(SeccompChoice.oci(profile), 0).orElseThrow();
        SeccompFilter again = filters.filterFor(SeccompChoice.oci(SeccompProfileParser.parse(
                "{\"syscalls\": [{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\"}], \"defaultAction\": \"SCMP_ACT_ALLOW\", "
                        + "\"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"]}", "config.json")), 0).orElseThrow();
        assertThat(backend.compiles).isEqualTo(1);
        assertThat(first.flags()).isEqualTo(SeccompNames.FLAG_LOG);
        assertThat(again.flags()).as("the flags come back from the cache").isEqualTo(SeccompNames.FLAG_LOG);
    }

    @Test
    void aMissingProfileFileNamesIt(@TempDir Path dir) {
        SeccompFilters filters = new SeccompFilters(dir, HOST, new SeccompCompiler(CountingBackend::new));
        assertThatThrownBy(() -> filters.filterFor(SeccompChoice.file(dir.resolve("gone.json")), CAPS))
                .isInstanceOfSatisfying(PelagosException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("gone.json");
    }

    @Test
    void anUnwritableCacheStillYieldsTheFilter(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        CountingBackend backend = new CountingBackend();
        SeccompFilters filters = new SeccompFilters(notADirectory.resolve("cache"), HOST, new SeccompCompiler(() -> backend));
        assertThat(filters.filterFor(SeccompChoice.DEFAULT, CAPS)).isPresent();
        assertThat(filters.filterFor(SeccompChoice.DEFAULT, CAPS)).isPresent();
        assertThat(backend.compiles).isEqualTo(2);
    }
}
