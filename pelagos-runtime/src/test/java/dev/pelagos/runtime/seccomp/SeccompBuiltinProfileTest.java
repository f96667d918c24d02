package dev.pelagos.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeccompBuiltinProfileTest {

    @Test
    void theIdentityConstantTracksTheResourceSoEditsInvalidateTheCache() throws Exception {
        String hash = SeccompFilterCache.sha256Hex(BuiltinProfile.bytes());
        assertThat(BuiltinProfile.IDENTITY)
                .as("default.json changed: set BuiltinProfile.IDENTITY to builtin-%s", hash.substring(0, 16))
                .isEqualTo("builtin-" + hash.substring(0, 16));
    }

    @Test
    void theBuiltinProfileHasDockerShape() throws Exception {
        SeccompProfile profile = SeccompProfileParser.parse(BuiltinProfile.bytes(), BuiltinProfile.SOURCE);
        assertThat(profile.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(profile.defaultErrnoRet()).isEqualTo(1);
        assertThat(profile.syscalls().getFirst().names()).hasSizeGreaterThan(350).doesNotHaveDuplicates()
                .doesNotContain("mount", "unshare", "setns", "clone", "clone3", "socket", "personality", "ptrace", "keyctl");
    }
}
