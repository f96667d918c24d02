package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: gaining privileges inside the container after start. Inheritable and ambient capability
 * sets of root stay empty whatever is added (CVE-2022-24769 / 27650 / 29162: file capabilities
 * would otherwise grant more on exec); a setuid-root binary in the image does not make a non-root
 * user root while no_new_privs is on (and does, as a control, when it is turned off); a non-root user
 * keeps no supplementary group of root (CVE-2023-25173 class). A failure means a process in the
 * container can raise its privileges beyond what `run` granted.
 */
class PrivilegeAttackIT {
    @TempDir
    Path tmp;
    private Pelagos pelagos;

    @BeforeEach
    void setUp() {
        pelagos = new Pelagos(tmp);
    }

    @AfterEach
    void nothingLeft() {
        assertThat(pelagos.leftovers()).isEmpty();
    }

    @Test
    void inheritableAndAmbientStayEmptyForRoot() {
        for (List<String> opts : List.of(List.<String>of(), List.of("--cap-add", "ALL"), List.of("--privileged"),
                List.of("--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN"))) {
            Pelagos.Result r = pelagos.probe(opts);
            assertThat(r.field("CapInh")).as("%s", opts).isEqualTo("0000000000000000");
            assertThat(r.field("CapAmb")).as("%s", opts).isEqualTo("0000000000000000");
        }
    }

    @Test
    void setuidBinaryDoesNotEscalateUnderNoNewPrivs() throws Exception {
        Path root = Pelagos.probeRootfsCopy(tmp);
        Path suid = root.resolve("suid-probe");
        Files.copy(root.resolve("probe"), suid);
        Files.setPosixFilePermissions(suid, PosixFilePermissions.fromString("rwxr-xr-x"));
        new ProcessBuilder("chmod", "4755", suid.toString()).inheritIO().start().waitFor();
        Pelagos.Result confined = pelagos.runIn(root, List.of("-u", "1000"), "/suid-probe");
        assertThat(confined.json().get("euid").getAsInt()).isEqualTo(1000);
        assertThat(confined.field("CapEff")).isEqualTo("0000000000000000");
        // control: without no_new_privs the setuid bit works, so the check above is meaningful
        Pelagos.Result open = pelagos.runIn(root, List.of("-u", "1000", "--security-opt", "no-new-privileges=false"), "/suid-probe");
        assertThat(open.json().get("euid").getAsInt()).isZero();
        assertThat(open.field("CapEff")).as("setuid root regains only the bounding set").isEqualTo("00000000800405fb");
    }

    @Test
    void nonRootUserKeepsNoRootGroups() {
        Pelagos.Result r = pelagos.probe(List.of("-u", "65534"));
        List<Integer> groups = new java.util.ArrayList<>();
        r.json().getAsJsonArray("groups").forEach(e -> groups.add(e.getAsInt()));
        assertThat(groups).doesNotContain(0);
        assertThat(r.json().get("gid").getAsInt()).isEqualTo(65534);
    }
}
