package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookRunnerTest {
    @TempDir
    Path dir;

    @Test
    void aHookGetsTheStateOnStdinAndOnlyItsEnv() throws Exception {
        Path out = dir.resolve("out");
        OciConfig.Hook h = new OciConfig.Hook("/bin/sh", List.of("sh", "-c", "cat > " + out + "; echo \"$X/$HOME\" >> " + out),
                List.of("X=1"), 5);
        HookRunner.run("prestart", 0, h, "{\"status\":\"created\"}");
        assertThat(Files.readString(out)).isEqualTo("{\"status\":\"created\"}1/\n");
    }

    @Test
    void failuresAndTimeoutsAreErrorsOrWarnings() {
        OciConfig.Hook fail = new OciConfig.Hook("/bin/false", List.of("false"), null, null);
        OciConfig.Hook slow = new OciConfig.Hook("/bin/sleep", List.of("sleep", "5"), null, 1);
        assertThatThrownBy(() -> HookRunner.run("prestart", 0, fail, "{}")).hasMessageContaining("error running hook #0 (prestart ")
                .hasMessageContaining("exit code 1");
        assertThatThrownBy(() -> HookRunner.run("poststart", 0, slow, "{}")).hasMessageContaining("timed out after 1s");
        Path marker = dir.resolve("ran");
        OciConfig.Hook ok = new OciConfig.Hook("/bin/touch", List.of("touch", marker.toString()), null, null);
        List<String> warnings = HookRunner.runAllWarning("poststop", List.of(fail, ok), "{}");
        assertThat(warnings).singleElement().asString().contains("error running hook #0 (poststop ");
        assertThat(marker).exists();
    }
}
