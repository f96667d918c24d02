package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.runtime.launch.Linux;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    @Test
    void flagsPropagationAndDataAreSplit() {
        MountOptions o = MountOptions.parse("tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k", "rprivate"));
        assertThat(o.flags()).isEqualTo(Linux.MS_NOSUID | Linux.MS_STRICTATIME);
        assertThat(o.propagation()).isEqualTo(Linux.MS_PRIVATE | Linux.MS_REC);
        assertThat(o.data()).isEqualTo("mode=755,size=65536k");
        assertThat(o.bind()).isFalse();
    }

    @Test
    void laterOptionsWinAndClearFlags() {
        assertThat(MountOptions.parse("proc", List.of("ro", "rw")).flags()).isZero();
        assertThat(MountOptions.parse("proc", List.of("noexec", "exec", "nodev")).flags()).isEqualTo(Linux.MS_NODEV);
    }

    @Test
    void bindAndRbind() {
        MountOptions b = MountOptions.parse("none", List.of("bind", "ro"));
        assertThat(b.bind()).isTrue();
        assertThat(b.flags()).isEqualTo(Linux.MS_BIND | Linux.MS_RDONLY);
        MountOptions r = MountOptions.parse("bind", List.of("rbind", "tmpcopyup"));
        assertThat(r.flags()).isEqualTo(Linux.MS_BIND | Linux.MS_REC);
        assertThat(r.data()).isEmpty();
        assertThat(MountOptions.parse("bind", null).bind()).isTrue();
    }

    @Test
    void idmapAndRidmapAreTheRuntimesNotTheFilesystems() {
        MountOptions i = MountOptions.parse("bind", List.of("rbind", "idmap"));
        assertThat(i.idmap()).isTrue();
        assertThat(i.idmapRecursive()).isFalse();
        assertThat(i.data()).as("never passed to mount(2)").isEmpty();
        MountOptions r = MountOptions.parse("bind", List.of("idmap", "ridmap", "size=1"));
        assertThat(r.idmap()).isTrue();
        assertThat(r.idmapRecursive()).as("the last of the two wins").isTrue();
        assertThat(r.data()).isEqualTo("size=1");
        assertThat(MountOptions.parse("bind", List.of("ridmap", "idmap")).idmapRecursive()).isFalse();
        assertThat(MountOptions.parse("bind", List.of("rbind")).idmap()).isFalse();
    }

    @Test
    void rootfsPropagationNames() {
        assertThat(MountOptions.propagation("shared")).isEqualTo(Linux.MS_SHARED);
        assertThat(MountOptions.propagation("runbindable")).isEqualTo(Linux.MS_UNBINDABLE | Linux.MS_REC);
        assertThat(MountOptions.propagation("sideways")).isNull();
    }

    @Test
    void recursiveOptionsBecomeMountAttributesNotFlags() {
        MountOptions o = MountOptions.parse("bind", List.of("rbind", "ro", "rro", "rnosuid", "rnodev", "rexec"));
        assertThat(o.flags()).isEqualTo(Linux.MS_BIND | Linux.MS_REC | Linux.MS_RDONLY);
        assertThat(o.recursiveSet()).isEqualTo(MountOptions.MOUNT_ATTR_RDONLY | MountOptions.MOUNT_ATTR_NOSUID
                | MountOptions.MOUNT_ATTR_NODEV);
        assertThat(o.recursiveClear()).isEqualTo(MountOptions.MOUNT_ATTR_NOEXEC);
        assertThat(o.data()).isEmpty();
        MountOptions plain = MountOptions.parse("bind", List.of("rbind", "ro"));
        assertThat(plain.recursiveSet()).isZero();
        assertThat(plain.recursiveClear()).isZero();
    }

    @Test
    void theLastRecursiveWordAboutAnAttributeWins() {
        MountOptions o = MountOptions.parse("bind", List.of("rbind", "rro", "rrw"));
        assertThat(o.recursiveSet()).isZero();
        assertThat(o.recursiveClear()).isEqualTo(MountOptions.MOUNT_ATTR_RDONLY);
        MountOptions back = MountOptions.parse("bind", List.of("rbind", "rrw", "rro"));
        assertThat(back.recursiveSet()).isEqualTo(MountOptions.MOUNT_ATTR_RDONLY);
        assertThat(back.recursiveClear()).isZero();
    }

    @Test
    void recursiveAccessTimeIsOneModeClearedAsAWhole() {
        MountOptions o = MountOptions.parse("bind", List.of("rbind", "rstrictatime", "rnoatime"));
        assertThat(o.recursiveSet()).isEqualTo(MountOptions.MOUNT_ATTR_NOATIME);
        assertThat(o.recursiveClear()).isEqualTo(MountOptions.MOUNT_ATTR_ATIME_MASK);
        assertThat(MountOptions.parse("bind", List.of("rbind", "rrelatime")).recursiveSet()).isZero();
        assertThat(MountOptions.parse("bind", List.of("rbind", "rrelatime")).recursiveClear())
                .isEqualTo(MountOptions.MOUNT_ATTR_ATIME_MASK);
    }
}
