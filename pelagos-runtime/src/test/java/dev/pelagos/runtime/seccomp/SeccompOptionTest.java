package dev.pelagos.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompOptionTest {

    @Test
    void keywords() throws Exception {
        assertThat(SeccompOption.parse("unconfined")).isEqualTo(SeccompChoice.UNCONFINED);
        assertThat(SeccompOption.parse("builtin")).isEqualTo(SeccompChoice.DEFAULT);
        assertThat(SeccompOption.fromSecurityOpt("seccomp=unconfined")).contains(SeccompChoice.UNCONFINED);
        assertThat(SeccompOption.fromSecurityOpt("seccomp:unconfined")).contains(SeccompChoice.UNCONFINED);
        assertThat(SeccompOption.fromSecurityOpt("no-new-privileges")).isEmpty();
    }

    @Test
    void aPathBecomesAnAbsoluteFileChoice(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("profile.json"), "{}");
        assertThat(SeccompOption.parse(profile.toString())).isEqualTo(SeccompChoice.file(profile));
    }

    @Test
    void errorsNameTheFile(@TempDir Path dir) {
        assertThatThrownBy(() -> SeccompOption.parse(dir.resolve("missing.json").toString()))
                .isInstanceOfSatisfying(SeccompProfileException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                    assertThat(e.hint()).contains("seccomp=unconfined");
                })
                .hasMessage("seccomp profile " + dir.resolve("missing.json") + " does not exist");
        assertThatThrownBy(() -> SeccompOption.parse(dir.toString())).hasMessageContaining("is not a file");
        assertThatThrownBy(() -> SeccompOption.parse("")).hasMessageContaining("needs a value");
    }
}
