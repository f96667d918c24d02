package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciStoreTest {
    @TempDir
    Path root;

    private static OciRecord record(String id, long creator) {
        return new OciRecord("1.0.2", id, "/b", "/b/rootfs", 1000, creator, Map.of("k", "v"), null, null, 0, 0, 0,
                List.of(), List.of(), "/", new long[5], false, false, List.of());
    }

    @Test
    void idsAreValidated() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a b", "x\n"}) {
            assertThatThrownBy(() -> OciStore.checkId(bad)).as(bad).isInstanceOf(PelagosException.class);
        }
    }

    @Test
    void aClaimedIdCannotBeClaimedAgain() throws PelagosException {
        OciStore s = new OciStore(root);
        Path dir = s.claim("c1");
        s.save(dir, record("c1", ProcessHandle.current().pid()));
        assertThatThrownBy(() -> s.claim("c1")).isInstanceOf(PelagosException.class)
                .satisfies(e -> assertThat(((PelagosException) e).kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("already exists");
    }

    @Test
    void statusFollowsThePidFileTheFifoAndTheProcess() throws Exception {
        OciStore s = new OciStore(root);
        Path dir = s.claim("c2");
        s.save(dir, record("c2", ProcessHandle.current().pid()));
        assertThat(s.load("c2").status()).as("creator alive, no pid yet").isEqualTo(OciStatus.CREATING);
        long me = ProcessHandle.current().pid();
        long start = dev.pelagos.runtime.container.ProcessLiveness.startTime((int) me);
        Files.writeString(dir.resolve("pid"), me + " " + start + " 0 " + me + "\n");
        Files.createFile(dir.resolve("exec.fifo"));
        assertThat(s.load("c2").status()).isEqualTo(OciStatus.CREATED);
        Files.delete(dir.resolve("exec.fifo"));
        assertThat(s.load("c2").status()).isEqualTo(OciStatus.RUNNING);
        Files.writeString(dir.resolve("pid"), me + " " + (start + 1) + " 0 " + me + "\n");
        assertThat(s.load("c2").status()).as("same pid, other start time: reused").isEqualTo(OciStatus.STOPPED);
        assertThat(s.list()).extracting(OciContainer::id).containsExactly("c2");
        s.remove("c2");
        assertThat(s.exists("c2")).isFalse();
    }

    @Test
    void aHalfMadeCreateIsReclaimed() throws PelagosException {
        OciStore s = new OciStore(root);
        Path dir = s.claim("c3");
        s.save(dir, record("c3", Integer.MAX_VALUE - 7)); // a creator pid that is not running
        assertThat(s.load("c3").status()).isEqualTo(OciStatus.STOPPED);
        assertThat(s.claim("c3")).isEqualTo(dir);
    }

    @Test
    void stateJsonHasTheSpecFields() throws PelagosException {
        OciStore s = new OciStore(root);
        Path dir = s.claim("c4");
        s.save(dir, record("c4", ProcessHandle.current().pid()));
        Map<String, Object> st = OciStateJson.of(s.load("c4"), OciStatus.STOPPED);
        assertThat(st).containsEntry("ociVersion", "1.0.2").containsEntry("id", "c4").containsEntry("status", "stopped")
                .containsEntry("bundle", "/b").containsEntry("pid", 0).containsKey("annotations");
    }
}
