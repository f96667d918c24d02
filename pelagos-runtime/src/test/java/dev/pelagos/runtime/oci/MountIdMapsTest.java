package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.MountEntry;
import dev.pelagos.runtime.launch.MountIdMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idmapped bind mounts: what runc 1.2 accepts and refuses, and the mapping the helper gets. */
class MountIdMapsTest {
    @TempDir
    Path bundle;

    private static final String USERNS = "\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"
            + "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
            + "\"gidMappings\":[{\"containerID\":0,\"hostID\":200000,\"size\":65536}]}";
    private static final String NO_USERNS = "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}";

    private static String map(long inside, long outside, long size) {
        return "{\"containerID\":" + inside + ",\"hostID\":" + outside + ",\"size\":" + size + "}";
    }

    private static String mount(String type, String options, String uids, String gids) {
        return "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                + "{\"destination\":\"/data\",\"type\":\"" + type + "\",\"source\":\"/srv/data\",\"options\":[" + options + "]"
                + (uids == null ? "" : ",\"uidMappings\":[" + uids + "]") + (gids == null ? "" : ",\"gidMappings\":[" + gids + "]")
                + "}],";
    }

    private OciConfig config(String mountsAndLinux) throws PelagosException {
        String json = "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},"
                + "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"}," + mountsAndLinux + "}";
        return OciConfigReader.parse(json, "config.json");
    }

    private OciConfig valid(String mountsAndLinux) throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        OciConfig c = config(mountsAndLinux);
        ConfigValidator.validate(c, bundle);
        return c;
    }

    private MountEntry planned(String mountsAndLinux) throws Exception {
        OciConfig c = valid(mountsAndLinux);
        LaunchPlan p = BundlePlanner.plan(c, bundle, bundle.resolve("state"), BundlePlanner.Options.create(null, null, 0, false),
                List.of(), List.of(), List.of(), null);
        return p.filesystem().mounts().get(1);
    }

    private void refused(String mountsAndLinux, String... message) {
        assertThatThrownBy(() -> valid(mountsAndLinux)).isInstanceOf(PelagosException.class).satisfies(e -> {
            for (String m : message) {
                assertThat(e.getMessage()).contains(m);
            }
        });
    }

    @Test
    void explicitMappingsGoToTheHelperAsMapLines() throws Exception {
        MountEntry m = planned(mount("bind", "\"rbind\",\"ridmap\"", map(0, 1000, 10) + "," + map(20, 5000, 1), map(0, 2000, 10))
                + NO_USERNS);
        assertThat(m.idMap()).isEqualTo(new MountIdMap("0 1000 10\n20 5000 1\n", "0 2000 10\n", null, true));
    }

    @Test
    void mappingsWithoutAnOptionAreNotRecursiveAndIdmapAloneTakesTheContainersMapping() throws Exception {
        assertThat(planned(mount("bind", "\"rbind\"", map(0, 1000, 1), map(0, 1000, 1)) + NO_USERNS).idMap().recursive())
                .as("as runc: only ridmap maps the mounts under the source").isFalse();
        assertThat(planned(mount("none", "\"bind\",\"idmap\"", null, null) + USERNS).idMap())
                .isEqualTo(new MountIdMap("0 100000 65536\n", "0 200000 65536\n", null, false));
        // empty mappings are the same as none (runtime-spec 1.2)
        assertThat(planned(mount("bind", "\"ridmap\"", "", "") + USERNS).idMap().uidMap()).isEqualTo("0 100000 65536\n");
        String joined = "\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\",\"path\":\"/proc/self/ns/user\"}]}";
        assertThat(planned(mount("bind", "\"idmap\"", null, null) + joined).idMap())
                .isEqualTo(new MountIdMap(null, null, "/proc/self/ns/user", false));
        assertThat(planned(mount("bind", "\"rbind\"", null, null) + USERNS).idMap()).as("a plain bind").isNull();
    }

    @Test
    void onlyBindMountsCanBeIdmapped() {
        refused(mount("tmpfs", "\"nosuid\"", map(0, 1000, 1), map(0, 1000, 1)) + NO_USERNS,
                "mounts[1].uidMappings", "must be bind mounts", "tmpfs");
        refused(mount("tmpfs", "\"idmap\"", null, null) + USERNS, "mounts[1].options", "must be bind mounts");
    }

    @Test
    void theContainerNeedsItsOwnMountNamespace() {
        refused(mount("bind", "\"bind\"", map(0, 1000, 1), map(0, 1000, 1)) + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}",
                "mounts[1].uidMappings", "needs a new mount namespace");
        refused(mount("bind", "\"bind\"", map(0, 1000, 1), map(0, 1000, 1))
                + "\"linux\":{\"namespaces\":[{\"type\":\"mount\",\"path\":\"/proc/self/ns/mnt\"}]}",
                "needs a new mount namespace");
    }

    @Test
    void uidAndGidMappingsComeTogether() {
        refused(mount("bind", "\"bind\"", map(0, 1000, 1), null) + NO_USERNS, "mounts[1].gidMappings is required along with");
        refused(mount("bind", "\"bind\"", null, map(0, 1000, 1)) + NO_USERNS, "mounts[1].uidMappings is required along with");
    }

    @Test
    void idmapWithoutMappingsNeedsAContainerUserNamespace() {
        refused(mount("bind", "\"bind\",\"idmap\"", null, null) + NO_USERNS, "mounts[1].options", "'idmap'", "has none");
        refused(mount("bind", "\"rbind\",\"ridmap\"", null, null) + NO_USERNS, "'ridmap'");
    }

    @Test
    void rangesMustBeNonEmptyInsideTheIdSpaceAndDisjoint() {
        refused(mount("bind", "\"bind\"", map(0, 1000, 0), map(0, 1000, 1)) + NO_USERNS,
                "mounts[1].uidMappings[0].size must be greater than zero");
        refused(mount("bind", "\"bind\"", map(0, 1000, 1), map(4294967295L, 1000, 1)) + NO_USERNS,
                "mounts[1].gidMappings[0].containerID", "leaves the id range");
        refused(mount("bind", "\"bind\"", map(0, 4294967200L, 100), map(0, 1000, 1)) + NO_USERNS,
                "mounts[1].uidMappings[0].hostID");
        refused(mount("bind", "\"bind\"", map(0, 1000, 10) + "," + map(5, 3000, 10), map(0, 1000, 1)) + NO_USERNS,
                "mounts[1].uidMappings[1] overlaps mounts[1].uidMappings[0] in containerID");
        refused(mount("bind", "\"bind\"", map(0, 1000, 1), map(0, 1000, 10) + "," + map(100, 1009, 1)) + NO_USERNS,
                "mounts[1].gidMappings[1] overlaps mounts[1].gidMappings[0] in hostID");
        refused(mount("bind", "\"bind\"", "{\"containerID\":0,\"size\":1}", map(0, 1000, 1)) + NO_USERNS,
                "mounts[1].uidMappings[0] needs containerID, hostID and size");
    }

    @Test
    void theLargestRangesAndManyExtentsUpToTheKernelsLimitPass() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < MountIdMaps.MAX_EXTENTS; i++) {
            many.append(i == 0 ? "" : ",").append(map(i * 10L, 100000 + i * 10L, 10));
        }
        assertThatCode(() -> valid(mount("bind", "\"bind\"", many.toString(), map(0, 0, 4294967295L)) + NO_USERNS))
                .doesNotThrowAnyException();
        refused(mount("bind", "\"bind\"", many + "," + map(900000, 900000, 1), map(0, 0, 1)) + NO_USERNS,
                "mounts[1].uidMappings has 341 entries");
    }
}
