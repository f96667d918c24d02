package dev.pelagos.cli.it.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The CLI's cgroup limits under a pure cgroup v2 kernel: boots ONE throw-away VM (vm/run-in-vm) and
 * runs a short shell script there with the dist under test ({@code pelagos run} with limits), then
 * asserts what it reported: a memory.max kill exits 137 (foreground and detached) and inspect says
 * OOMKilled; pids.max makes fork fail; a CPU quota shows up as throttling in the container's own
 * cpu.stat; cpuset pins; the container sees /sys/fs/cgroup read-only and rooted at itself (its limits
 * at the top level, "0::/" in /proc/self/cgroup); no cgroup is left after the containers exit, nor
 * after {@code rm -f} of a container whose monitor was killed. Device rules, an eBPF program on v2:
 * a container with CAP_MKNOD cannot open /dev/kmsg or the disk through nodes it makes, a privileged
 * one can, {@code --device ...:r} reads but does not write, and an OCI {@code update} opens a device.
 * Skipped, with the reason, when no VM can boot here. A failure means the v2 driver, which most
 * hosts use, does not enforce or report limits.
 */
class CgroupV2CliVmIT {
    private static final int VM_TIMEOUT_SECONDS = 420;

    /**
     * Runs in the guest: $1 pelagos, $2 probe rootfs, $3 busybox rootfs, $4 an OCI bundle (busybox,
     * the scratch disk's node made but not allowed), $5 an OCI resources file allowing it to be read. One "RESULT key value" line per check.
     */
    private static final String SCRIPT = """
            P=$1 PROBE=$2 BB=$3 BUNDLE=$4 ALLOW_DISK=$5
            export PELAGOS_RUNTIME_DIR=/tmp/pv/run PELAGOS_DATA_DIR=/tmp/pv/data
            r() { echo "RESULT $1 $2"; }
            r version "$(grep -c '^cgroup2 /sys/fs/cgroup ' /proc/mounts)"
            r info-driver "$($P info | grep -c 'Cgroup version: *2')"
            $P run --rm --memory 32m --memory-swap 32m --rootfs "$PROBE" /probe alloc 200 >/dev/null 2>&1
            r oom-foreground $?
            id=$($P run -d --memory 32m --memory-swap 32m --rootfs "$PROBE" /probe alloc 200)
            r oom-wait "$($P wait "$id")"
            r oom-killed "$($P inspect "$id" | grep -o '"OOMKilled": [a-z]*' | cut -d' ' -f2)"
            r oom-exitcode "$($P inspect "$id" | grep -o '"ExitCode": [0-9]*' | cut -d' ' -f2)"
            r cgroup-after-exit "$(ls -d /sys/fs/cgroup/pelagos/"$id" 2>/dev/null | wc -l)"
            $P rm "$id" >/dev/null
            r pids "$($P run --rm --pids-limit 5 --rootfs "$PROBE" /probe fork 10)"
            r pids-control "$($P run --rm --pids-limit 50 --rootfs "$PROBE" /probe fork 10)"
            r throttled "$($P run --rm --cpus 0.1 --rootfs "$BB" sh -c 'yes >/dev/null & sleep 2; kill $!; cat /sys/fs/cgroup/cpu.stat' | awk '$1=="nr_throttled" {print $2}')"
            r cpuset "$($P run --rm --cpuset-cpus 0 --rootfs "$PROBE" /probe read /proc/self/status | awk '/^Cpus_allowed_list/ {print $2}')"
            r memory-max-inside "$($P run --rm --memory 48m --rootfs "$PROBE" /probe read /sys/fs/cgroup/memory.max)"
            r pids-max-inside "$($P run --rm --pids-limit 9 --rootfs "$PROBE" /probe read /sys/fs/cgroup/pids.max)"
            r cgroupns "$($P run --rm --rootfs "$PROBE" /probe read /proc/self/cgroup | tr -d '\\n')"
            r readonly "$($P run --rm --rootfs "$PROBE" /probe write /sys/fs/cgroup/pids.max 1 | cut -d' ' -f1)"
            id=$($P run -d --rootfs "$PROBE" /probe sleep 60)
            kill -9 "$(cut -d' ' -f4 "$PELAGOS_RUNTIME_DIR/containers/$id/pid")"
            sleep 1
            $P rm -f "$id" >/dev/null
            r cgroup-after-killed-monitor "$(ls -d /sys/fs/cgroup/pelagos/"$id" 2>/dev/null | wc -l)"
            # device rules are an eBPF program on v2; nodes go where devices may be opened (the guest's /tmp is nodev)
            N=/var/lib/pelagos-vm-nodes; mkdir -p $N
            try() { echo "rm -f /w/n; mknod /w/n $1 && dd if=/w/n of=/dev/null bs=8192 count=1 2>/dev/null && echo opened || echo refused"; }
            r devices-kmsg "$($P run --rm --cap-add MKNOD --cap-add SYSLOG -v $N:/w --rootfs "$BB" sh -c "$(try 'c 1 11')")"
            r devices-disk "$($P run --rm --cap-add MKNOD -v $N:/w --rootfs "$BB" sh -c "$(try 'b 254 0')")"
            r devices-kmsg-privileged "$($P run --rm --privileged -v $N:/w --rootfs "$BB" sh -c "$(try 'c 1 11')")"
            r devices-usual "$($P run --rm --rootfs "$BB" sh -c 'echo x >/dev/null && head -c 1 /dev/urandom >/dev/null && echo ok')"
            r device-flag-read-only "$($P run --rm --device /dev/vda:/dev/xvda:r --rootfs "$BB" sh -c 'dd if=/dev/xvda of=/dev/null bs=512 count=1 2>/dev/null && echo read; dd if=/dev/zero of=/dev/xvda bs=512 count=1 2>/dev/null && echo wrote || echo write-refused' | paste -sd, -)"
            O="$P --root /tmp/pv/oci"
            $O run -d --bundle "$BUNDLE" ocidev >/dev/null 2>&1
            disk='dd if=/dev/vda of=/dev/null bs=512 count=1 2>/dev/null && echo opened || echo refused'
            r oci-devices-before "$($O exec ocidev sh -c "$disk")"
            $O update -r "$ALLOW_DISK" ocidev
            r oci-devices-after-update "$($O exec ocidev sh -c "$disk")"
            r oci-devices-null-after-update "$($O exec ocidev sh -c 'echo x >/dev/null && echo ok')"
            $O delete -f ocidev
            r leftover-cgroups "$(find /sys/fs/cgroup/pelagos -mindepth 1 -type d 2>/dev/null | wc -l)"
            r done 1
            """;

    @Test
    void cgroupLimitsThroughTheCliUnderCgroupV2(TestReporter report) throws Exception {
        TestVm vm = TestVm.require();
        // the guest sees the host's / read-only (dist snapshot and fixtures in /var/tmp) and the repository read-write
        Path bundle = ociBundle(vm.shared("devices-vm-bundle"));
        Path allowDisk = vm.shared("devices-vm-allow-disk.json");
        Files.writeString(allowDisk, "{\"devices\": [{\"allow\": true, \"type\": \"b\", \"major\": 254, \"minor\": 0, \"access\": \"r\"}]}");
        long t0 = System.nanoTime();
        TestVm.Outcome out = vm.run("cgroup-v2-cli-vm", SCRIPT, List.of(Pelagos.launcher().toString(), Pelagos.probeRootfs().toString(),
                Pelagos.busyboxRootfs().toString(), bundle.toString(), allowDisk.toString()), VM_TIMEOUT_SECONDS);
        report.publishEntry("vm", "boot + script took " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s");
        Map<String, String> results = out.results();
        results.forEach((k, v) -> report.publishEntry("guest", k + " = " + v));
        assertThat(results).as("guest output:%n%s", out.output()).containsEntry("done", "1");
        assertThat(results).as("guest output:%n%s", out.output())
                .containsEntry("version", "1")
                .containsEntry("info-driver", "1")
                .containsEntry("oom-foreground", "137")
                .containsEntry("oom-wait", "137")
                .containsEntry("oom-killed", "true")
                .containsEntry("oom-exitcode", "137")
                .containsEntry("cgroup-after-exit", "0")
                .containsEntry("cgroup-after-killed-monitor", "0")
                .containsEntry("pids-control", "10")
                .containsEntry("cpuset", "0")
                .containsEntry("memory-max-inside", "50331648")
                .containsEntry("pids-max-inside", "9")
                .containsEntry("cgroupns", "0::/")
                .containsEntry("readonly", "EROFS")
                .containsEntry("leftover-cgroups", "0")
                .containsEntry("devices-kmsg", "refused")
                .containsEntry("devices-disk", "refused")
                .containsEntry("devices-kmsg-privileged", "opened")
                .containsEntry("devices-usual", "ok")
                .containsEntry("device-flag-read-only", "read,write-refused")
                .containsEntry("oci-devices-before", "refused")
                .containsEntry("oci-devices-after-update", "opened")
                .containsEntry("oci-devices-null-after-update", "ok");
        assertThat(Integer.parseInt(results.get("pids"))).as("forks under pids.max=5").isBetween(1, 4);
        assertThat(Integer.parseInt(results.get("throttled"))).as("nr_throttled in 2 s at 10%% of a CPU").isGreaterThanOrEqualTo(3);
        assertThat(out.status()).as("guest output:%n%s", out.output()).isZero();
    }

    /**
     * An OCI bundle on the shared busybox rootfs (read-only), whose config makes a node for the
     * guest's scratch disk (/dev/vda, b 254:0; a disk needs no capability to be read, unlike
     * /dev/kmsg) but allows it no access, running {@code sleep}.
     */
    private static Path ociBundle(Path dir) throws IOException {
        Files.createDirectories(dir);
        JsonObject config = JsonParser.parseString(dev.pelagos.runtime.oci.OciTemplates.spec(false, 0, 0)).getAsJsonObject();
        JsonObject process = config.getAsJsonObject("process");
        process.addProperty("terminal", false);
        JsonArray args = new JsonArray();
        List.of("sleep", "120").forEach(args::add);
        process.add("args", args);
        JsonObject root = new JsonObject();
        root.addProperty("path", Pelagos.busyboxRootfs().toString());
        root.addProperty("readonly", true);
        config.add("root", root);
        JsonObject disk = new JsonObject();
        disk.addProperty("path", "/dev/vda");
        disk.addProperty("type", "b");
        disk.addProperty("major", 254);
        disk.addProperty("minor", 0);
        JsonArray devices = new JsonArray();
        devices.add(disk);
        config.getAsJsonObject("linux").add("devices", devices);
        Files.writeString(dir.resolve("config.json"), config.toString());
        return dir;
    }
}
