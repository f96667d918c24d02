package dev.pelagos.runtime.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TmpfsOptionsTest {
    private static final long DEFAULT = Linux.MS_NOEXEC | Linux.MS_NOSUID | Linux.MS_NODEV;

    @Test
    void dockerDefaultsAreNoexecNosuidNodev() throws PelagosException {
        assertThat(TmpfsOptions.parse("/t", "")).isEqualTo(new TmpfsOptions(DEFAULT, ""));
        assertThat(TmpfsOptions.parse("/t", null)).isEqualTo(new TmpfsOptions(DEFAULT, ""));
    }

    @Test
    void flagOptionsToggleMountFlags() throws PelagosException {
        assertThat(TmpfsOptions.parse("/t", "ro").flags()).isEqualTo(DEFAULT | Linux.MS_RDONLY);
        assertThat(TmpfsOptions.parse("/t", "ro,rw").flags()).isEqualTo(DEFAULT);
        assertThat(TmpfsOptions.parse("/t", "exec").flags()).isEqualTo(Linux.MS_NOSUID | Linux.MS_NODEV);
        assertThat(TmpfsOptions.parse("/t", "exec,suid,dev").flags()).isZero();
        assertThat(TmpfsOptions.parse("/t", "exec,noexec").flags()).isEqualTo(DEFAULT);
        assertThat(TmpfsOptions.parse("/t", "noatime").flags()).isEqualTo(DEFAULT | Linux.MS_NOATIME);
    }

    @Test
    void dataOptionsPassThroughInOrder() throws PelagosException {
        assertThat(TmpfsOptions.parse("/t", "size=64m,mode=1777,uid=1000,gid=1000,nr_inodes=100")).isEqualTo(
                new TmpfsOptions(DEFAULT, "size=64m,mode=1777,uid=1000,gid=1000,nr_inodes=100"));
        assertThat(TmpfsOptions.parse("/t", "size=50%,exec").data()).isEqualTo("size=50%");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "size=", "mode=1777;x", "huge=always", "size=1m\nx", "uid=0,context=x"})
    void unknownOrMalformedOptionsAreRefused(String opts) {
        assertThatThrownBy(() -> TmpfsOptions.parse("/t", opts))
                .isInstanceOf(PelagosException.class)
                .hasMessageStartingWith("invalid --tmpfs option '")
                .hasMessageEndingWith("' for /t");
    }
}
