package dev.pelagos.cli.info;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfoCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... argv) {
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(List.of(argv), cli);
    }

    @Test
    void reportsTheKernelAndTheCgroupLayoutOfThisHost() throws Exception {
        assertThat(run("info")).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Kernel:             " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        assertThat(text).contains("Cgroup version:     " + (v2 ? "2" : "1"));
        assertThat(text).containsPattern("Seccomp: +(available|not available)");
    }

    @Test
    void jsonHasTheSameFacts() {
        assertThat(run("info", "--format", "json")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"kernel\": ", "\"cgroupVersion\": ", "\"seccomp\": ");
    }

    @Test
    void takesNoArguments() {
        assertThat(run("info", "extra")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unexpected argument 'extra'");
    }
}
