package dev.pelagos.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogTest {
    @TempDir
    Path dir;

    private static String record(String time, String stream, String text) {
        return time + " " + stream + " F " + text + "\n";
    }

    @Test
    void readsRotatedThenCurrentAndKeepsOnlyWhatIsSince() throws Exception {
        Path log = dir.resolve("container.log");
        Files.writeString(dir.resolve("container.log.1"), record("2026-01-01T00:00:00Z", "stdout", "old")
                + record("2026-01-01T00:00:02Z", "stderr", "rotated"));
        Files.writeString(log, record("2026-01-01T00:00:03Z", "stdout", "current"));
        List<ContainerLog.Entry> got = new ArrayList<>();
        ContainerLog.read(log, Instant.parse("2026-01-01T00:00:01Z"), -1, false, () -> false, got::add);
        assertThat(got).extracting(ContainerLog.Entry::text).containsExactly("rotated", "current");
        assertThat(got.get(0).stderr()).isTrue();
    }

    /**
     * Following starts right after the last whole record that was read: a record the monitor was
     * still writing, and whatever it appends later, come out whole and once.
     */
    @Test
    void followPicksUpARecordWrittenAcrossTheFirstRead() throws Exception {
        Path log = dir.resolve("container.log");
        String second = record("2026-01-01T00:00:01Z", "stdout", "refused");
        Files.writeString(log, record("2026-01-01T00:00:00Z", "stdout", "made") + second.substring(0, 10));
        List<ContainerLog.Entry> got = new ArrayList<>();
        int[] calls = {0};
        ContainerLog.read(log, null, -1, true, () -> {
            if (calls[0]++ == 0) {
                append(log, second.substring(10) + record("2026-01-01T00:00:02Z", "stderr", "last"));
            }
            return false;
        }, got::add);
        assertThat(got).extracting(ContainerLog.Entry::text).containsExactly("made", "refused", "last");
    }

    @Test
    void tailKeepsTheLastLines() throws Exception {
        Path log = dir.resolve("container.log");
        Files.writeString(log, record("2026-01-01T00:00:00Z", "stdout", "a") + record("2026-01-01T00:00:01Z", "stdout", "b")
                + record("2026-01-01T00:00:02Z", "stdout", "c"));
        List<ContainerLog.Entry> got = new ArrayList<>();
        ContainerLog.read(log, null, 2, false, () -> false, got::add);
        assertThat(got).extracting(ContainerLog.Entry::text).containsExactly("b", "c");
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
