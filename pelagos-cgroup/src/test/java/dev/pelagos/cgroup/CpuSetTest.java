package dev.pelagos.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import org.junit.jupiter.api.Test;

class CpuSetTest {
    @Test
    void parsesListsAndRangesIntoCanonicalForm() throws PelagosException {
        assertThat(CpuSet.parse("cpuset-cpus", "0-2,4")).hasToString("0-2,4");
        assertThat(CpuSet.parse("cpuset-cpus", "4, 2,0-1")).hasToString("0-2,4");
        assertThat(CpuSet.parse("cpuset-cpus", "3")).hasToString("3");
        assertThat(CpuSet.parse("cpuset-cpus", "1-1,2-3").size()).isEqualTo(3);
    }

    @Test
    void subsetChecks() throws PelagosException {
        CpuSet host = CpuSet.parse("x", "0-3");
        assertThat(CpuSet.parse("x", "1,3").isSubsetOf(host)).isTrue();
        assertThat(CpuSet.parse("x", "3-4").isSubsetOf(host)).isFalse();
        assertThat(host.contains(2)).isTrue();
    }

    @Test
    void rejectsMalformedLists() {
        assertThatThrownBy(() -> CpuSet.parse("cpuset-cpus", "")).hasMessage("invalid cpuset-cpus '': it is empty");
        assertThatThrownBy(() -> CpuSet.parse("cpuset-cpus", "0-")).hasMessage("invalid cpuset-cpus '0-': an item is empty");
        assertThatThrownBy(() -> CpuSet.parse("cpuset-cpus", "0,,1")).hasMessage("invalid cpuset-cpus '0,,1': an item is empty");
        assertThatThrownBy(() -> CpuSet.parse("cpuset-mems", "a")).hasMessage("invalid cpuset-mems 'a': 'a' is not a number");
        assertThatThrownBy(() -> CpuSet.parse("cpuset-cpus", "-1")).hasMessage("invalid cpuset-cpus '-1': an item is empty");
        assertThatThrownBy(() -> CpuSet.parse("cpuset-cpus", "9000"))
                .hasMessage("invalid cpuset-cpus '9000': 9000 is larger than any CPU or node number (8191)");
        assertThatThrownBy(() -> CpuSet.parse("cpuset-cpus", "0-99999999"))
                .hasMessage("invalid cpuset-cpus '0-99999999': 99999999 is larger than any CPU or node number (8191)");
    }
}
