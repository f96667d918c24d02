package dev.pelagos.cli.it.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import dev.pelagos.cli.it.TestVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * {@code checkpoint} and {@code restore} with CRIU, in the throw-away VM (CRIU 3.17 cannot read
 * this host kernel's vDSO). A busybox container counts into a bind-mounted host directory and
 * onto a pipe; after a checkpoint it is gone and the count stands still; restored, it counts on
 * from where it was (its memory came back), onto the restoring command's pipe, in its cgroup,
 * and exec works. Then --leave-running, --pre-dump with --parent-path, a restore from a broken
 * image that leaves nothing behind, and nothing left after delete. A failure means a container
 * cannot be moved or suspended to disk as containerd and podman ask of their runtime.
 */
class OciCheckpointVmIT {
    private static final int VM_TIMEOUT_SECONDS = 420;

    /** $1 pelagos, $2 the bundle, $3 the bind-mounted data directory. One "RESULT key value" line per check. */
    private static final String SCRIPT = """
            P=$1 BUNDLE=$2 DATA=$3
            O="$P --root /tmp/ck/oci"
            r() { echo "RESULT $1 $2"; }
            status() { $O state "$1" 2>/dev/null | grep -o '"status": "[a-z]*"' | cut -d'"' -f4; }
            mkdir -p "$DATA" /tmp/ck
            $O run -d --bundle "$BUNDLE" c1 </dev/null 2>/tmp/ck/run.err | cat >/tmp/ck/out1 &
            n=0; while [ "$(status c1)" != running ] && [ $n -lt 120 ]; do sleep 0.5; n=$((n + 1)); done
            sleep 2
            r running "$(status c1)"
            $O checkpoint --image-path /tmp/ck/img c1; r checkpoint $?
            r state-after-checkpoint "$($O state c1 >/dev/null 2>&1; echo $?)"
            a=$(cat "$DATA/count"); sleep 1; b=$(cat "$DATA/count")
            r still-while-checkpointed "$([ "$a" = "$b" ] && echo yes || echo "no:$a,$b")"
            # the restore's stdout is a new pipe, which the restored process writes on; its status is kept aside
            { $O restore -d --bundle "$BUNDLE" --image-path /tmp/ck/img --pid-file /tmp/ck/pid c1 </dev/null; echo $? >/tmp/ck/rc; } \
                | cat >/tmp/ck/out2 &
            n=0; while [ ! -s /tmp/ck/rc ] && [ $n -lt 120 ]; do sleep 0.5; n=$((n + 1)); done
            r restore "$(cat /tmp/ck/rc)"
            sleep 1
            r restored "$(status c1)"
            c=$(cat "$DATA/count")
            r counts-on "$([ "$c" -gt "$b" ] && echo yes || echo "no:$b,$c")"
            first=$(head -1 /tmp/ck/out2)
            r output-continues "$([ -n "$first" ] && [ "$first" -gt "$b" ] && [ "$first" -le "$((b + 2))" ] && echo yes || echo "no:$b,$first")"
            pid=$(cat /tmp/ck/pid)
            r pid-file "$([ "$pid" = "$($O state c1 | grep -o '"pid": [0-9]*' | cut -d' ' -f2)" ] && echo matches || echo "differs:$pid")"
            r cgroup "$(grep -c /ckpt-it /proc/"$pid"/cgroup)"
            r exec "$($O exec c1 cat /data/count >/dev/null && echo ok)"
            $O checkpoint --leave-running --image-path /tmp/ck/img2 c1; r leave-running $?
            r status-after-leave-running "$(status c1)"
            $O checkpoint --pre-dump --image-path /tmp/ck/parent c1; r pre-dump $?
            r status-after-pre-dump "$(status c1)"
            $O checkpoint --parent-path /tmp/ck/parent --image-path /tmp/ck/img3 c1 2>/dev/null; r absolute-parent $?
            $O checkpoint --parent-path ../parent --image-path /tmp/ck/img3 c1; r dump-with-parent $?
            $O restore -d --bundle "$BUNDLE" --image-path /tmp/ck/img3 c1 </dev/null >/dev/null; r restore-from-parent $?
            r status-from-parent "$(status c1)"
            $O delete -f c1
            mkdir -p /tmp/ck/broken && cp /tmp/ck/img/pelagos-checkpoint.json /tmp/ck/broken/
            $O restore -d --bundle "$BUNDLE" --image-path /tmp/ck/broken c2 </dev/null >/dev/null 2>/tmp/ck/broken.err; r broken-image $?
            r broken-message "$(grep -c 'CRIU failed' /tmp/ck/broken.err)"
            r leftover-state "$(ls /tmp/ck/oci | wc -l)"
            r leftover-cgroups "$(find /sys/fs/cgroup -name ckpt-it | wc -l)"
            r leftover-mounts "$(grep -c criu-root /proc/self/mountinfo)"
            r done 1
            """;

    @Test
    void checkpointAndRestoreACountingContainer(TestReporter report) throws Exception {
        TestVm vm = TestVm.require();
        assumeTrue(onPath("criu"), "CRIU is not installed (apt-get install criu); the guest runs the host's");
        Path bundle = bundle(vm.shared("checkpoint-vm-bundle"), "/tmp/ck/data");
        TestVm.Outcome out = vm.run("checkpoint-vm", SCRIPT, List.of(Pelagos.launcher().toString(), bundle.toString(), "/tmp/ck/data"),
                VM_TIMEOUT_SECONDS);
        Map<String, String> results = out.results();
        results.forEach((k, v) -> report.publishEntry("guest", k + " = " + v));
        assertThat(results).as("guest output:%n%s", out.output()).containsEntry("done", "1")
                .containsEntry("running", "running")
                .containsEntry("checkpoint", "0")
                .containsEntry("state-after-checkpoint", "1")
                .containsEntry("still-while-checkpointed", "yes")
                .containsEntry("restore", "0")
                .containsEntry("restored", "running")
                .containsEntry("counts-on", "yes")
                .containsEntry("output-continues", "yes")
                .containsEntry("pid-file", "matches")
                .containsEntry("cgroup", "1")
                .containsEntry("exec", "ok")
                .containsEntry("leave-running", "0")
                .containsEntry("status-after-leave-running", "running")
                .containsEntry("pre-dump", "0")
                .containsEntry("status-after-pre-dump", "running")
                .containsEntry("absolute-parent", "1")
                .containsEntry("dump-with-parent", "0")
                .containsEntry("restore-from-parent", "0")
                .containsEntry("status-from-parent", "running")
                .containsEntry("broken-image", "1")
                .containsEntry("broken-message", "1")
                .containsEntry("leftover-state", "0")
                .containsEntry("leftover-cgroups", "0")
                .containsEntry("leftover-mounts", "0");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program));
    }

    /** busybox (read-only), counting to stdout and into /data, a bind of {@code data}; no terminal. */
    private static Path bundle(Path dir, String data) throws IOException {
        Files.createDirectories(dir);
        JsonObject config = JsonParser.parseString(dev.pelagos.runtime.oci.OciTemplates.spec(false, 0, 0)).getAsJsonObject();
        JsonObject process = config.getAsJsonObject("process");
        process.addProperty("terminal", false);
        JsonArray args = new JsonArray();
        List.of("sh", "-c", "i=0; while true; do i=$((i+1)); echo $i >/data/count; echo $i; sleep 0.2; done").forEach(args::add);
        process.add("args", args);
        JsonObject root = new JsonObject();
        root.addProperty("path", Pelagos.busyboxRootfs().toString());
        root.addProperty("readonly", true);
        config.add("root", root);
        JsonObject bind = new JsonObject();
        bind.addProperty("destination", "/data");
        bind.addProperty("type", "bind");
        bind.addProperty("source", data);
        JsonArray options = new JsonArray();
        options.add("rbind");
        options.add("rw");
        bind.add("options", options);
        config.getAsJsonArray("mounts").add(bind);
        config.getAsJsonObject("linux").addProperty("cgroupsPath", "ckpt-it");
        Files.writeString(dir.resolve("config.json"), config.toString());
        return dir;
    }
}
