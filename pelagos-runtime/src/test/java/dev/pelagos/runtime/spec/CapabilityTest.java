package dev.pelagos.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Capability names, the default set of DECISIONS §A1, and Docker's --cap-add/--cap-drop rules. */
class CapabilityTest {
    /** Every capability of Linux 6.x (0..40). */
    private static final long ALL = (1L << 41) - 1;
    /** A host like these VMs: everything but CAP_SYS_RESOURCE. */
    private static final long NO_SYS_RESOURCE = ALL & ~Capability.SYS_RESOURCE.bit();

    @Test
    void defaultMaskIsTheElevenCapabilities() {
        assertThat(Capability.DEFAULT_MASK).isEqualTo(0x800405fbL);
        assertThat(Capability.names(Capability.DEFAULT_MASK)).containsExactly("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
                "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
                "CAP_SETFCAP");
    }

    @Test
    void ordinalsAreTheKernelNumbers() {
        assertThat(Capability.CHOWN.bit()).isEqualTo(1L);
        assertThat(Capability.NET_RAW.ordinal()).isEqualTo(13);
        assertThat(Capability.SYS_ADMIN.ordinal()).isEqualTo(21);
        assertThat(Capability.SETFCAP.ordinal()).isEqualTo(31);
        assertThat(Capability.CHECKPOINT_RESTORE.ordinal()).isEqualTo(40);
        assertThat(Capability.values()).hasSize(41);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NET_RAW", "net_raw", "CAP_NET_RAW", "cap_net_raw", "net-raw", "Cap_Net-Raw", " NET_RAW "})
    void namesAreParsedTheWayUsersWriteThem(String name) throws PelagosException {
        assertThat(Capability.parse(name)).isEqualTo(Capability.NET_RAW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOPE", "", "CAP_", "ALL", "NET RAW", "13"})
    void unknownNamesGetTheReferenceMessage(String name) {
        assertThatThrownBy(() -> Capability.parse(name))
                .isInstanceOf(PelagosException.class)
                .hasMessage("unknown capability '" + name + "'")
                .satisfies(e -> assertThat(((PelagosException) e).hint()).isEqualTo("use Linux capability names, e.g. NET_RAW, SYS_ADMIN, CHOWN"));
    }

    @Test
    void noFlagsGiveTheDefaults() throws PelagosException {
        assertThat(CapabilityPolicy.effectiveMask(List.of(), List.of(), false, ALL)).isEqualTo(0x800405fbL);
    }

    @Test
    void dropRemovesAndAddAdds() throws PelagosException {
        assertThat(CapabilityPolicy.effectiveMask(List.of("NET_RAW"), List.of("CHOWN"), false, ALL))
                .isEqualTo(0x800405fbL & ~1L | Capability.NET_RAW.bit());
    }

    @Test
    void dropAllStartsFromNothing() throws PelagosException {
        assertThat(CapabilityPolicy.effectiveMask(List.of(), List.of("ALL"), false, ALL)).isZero();
        assertThat(CapabilityPolicy.effectiveMask(List.of("NET_BIND_SERVICE"), List.of("all"), false, ALL))
                .isEqualTo(Capability.NET_BIND_SERVICE.bit());
    }

    @Test
    void addAllIsLimitedToTheHostBoundingSet() throws PelagosException {
        assertThat(CapabilityPolicy.effectiveMask(List.of("ALL"), List.of(), false, ALL)).isEqualTo(ALL);
        assertThat(CapabilityPolicy.effectiveMask(List.of("ALL"), List.of(), false, NO_SYS_RESOURCE)).isEqualTo(NO_SYS_RESOURCE);
    }

    @Test
    void addAllWithDropsKeepsTheDropsOut() throws PelagosException {
        // Docker: `--cap-add ALL --cap-drop MKNOD` = every capability except MKNOD
        long mask = CapabilityPolicy.effectiveMask(List.of("ALL"), List.of("MKNOD", "NET_RAW"), false, ALL);
        assertThat(mask).isEqualTo(ALL & ~Capability.MKNOD.bit() & ~Capability.NET_RAW.bit());
    }

    @Test
    void addingACapabilityTheHostLacksIsRefused() {
        assertThatThrownBy(() -> CapabilityPolicy.effectiveMask(List.of("SYS_RESOURCE"), List.of(), false, NO_SYS_RESOURCE))
                .isInstanceOf(PelagosException.class)
                .hasMessage("cannot add capability SYS_RESOURCE: this host does not allow it");
    }

    @Test
    void defaultsTheHostLacksAreQuietlyLeftOut() throws PelagosException {
        long bounding = Capability.DEFAULT_MASK & ~Capability.SETFCAP.bit();
        assertThat(CapabilityPolicy.effectiveMask(List.of(), List.of(), false, bounding)).isEqualTo(bounding);
    }

    @Test
    void privilegedGetsTheWholeHostBoundingSet() throws PelagosException {
        assertThat(CapabilityPolicy.effectiveMask(List.of(), List.of("ALL"), true, NO_SYS_RESOURCE)).isEqualTo(NO_SYS_RESOURCE);
    }

    @Test
    void unknownNamesInFlagsAreRefused() {
        assertThatThrownBy(() -> CapabilityPolicy.effectiveMask(List.of(), List.of("BOGUS"), false, ALL))
                .hasMessage("unknown capability 'BOGUS'");
        assertThatThrownBy(() -> new ContainerConfigBuilder().capAdd("BOGUS")).hasMessage("unknown capability 'BOGUS'");
        assertThatThrownBy(() -> new ContainerConfigBuilder().capDrop("cap_bogus")).hasMessage("unknown capability 'cap_bogus'");
    }
}
