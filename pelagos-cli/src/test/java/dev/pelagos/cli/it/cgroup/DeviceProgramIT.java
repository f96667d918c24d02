package dev.pelagos.cli.it.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pelagos.cgroup.DeviceProgram;
import dev.pelagos.cgroup.DeviceRule;
import dev.pelagos.cli.it.Pelagos;
import dev.pelagos.sys.CgroupDeviceProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 device programs in the real kernel: a cgroup of our own in this host's cgroup2
 * hierarchy (the hybrid's {@code unified}, or {@code /sys/fs/cgroup} on a v2 host) gets a compiled
 * program through the JNI library, and a shell moved into it finds the devices opened or refused as
 * the rules say. Replacing the program must leave only the new one in force: the kernel allows
 * only what every attached device program allows, so a program left behind shows as a refusal.
 */
class DeviceProgramIT {
    private Path cgroup;

    @BeforeEach
    void makeCgroup() throws IOException {
        Pelagos.requireEnvironment();
        Path v2 = Files.isRegularFile(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? Path.of("/sys/fs/cgroup")
                : Path.of("/sys/fs/cgroup/unified");
        assumeTrue(Files.isRegularFile(v2.resolve("cgroup.procs")), "no cgroup2 hierarchy mounted here");
        cgroup = Files.createDirectory(v2.resolve("pelagos-it-devices-" + ProcessHandle.current().pid()));
    }

    @AfterEach
    void removeCgroup() throws IOException {
        if (cgroup != null) {
            Files.deleteIfExists(cgroup); // its processes have ended; removing it detaches the programs
        }
    }

    private static DeviceRule allow(char type, long major, long minor, String access) {
        return new DeviceRule(true, type, major, minor, access);
    }

    private static Path jni() {
        return Pelagos.installedHome().resolve("lib/libpelagos-jni.so");
    }

    /** Runs a shell in the cgroup: it moves itself in, then tries each device; "name ok" or "name refused" per line. */
    private String tryDevices() throws Exception {
        String script = "echo $$ > " + cgroup.resolve("cgroup.procs") + " || exit 9\n"
                + "for d in zero null full; do if head -c 1 /dev/$d >/dev/zero 2>/dev/zero; then echo $d ok; else echo $d refused; fi; done\n";
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aProgramDecidesWhichDevicesOpen() throws Exception {
        // zero is how the script's own output is thrown away (>/dev/zero), so it stays allowed
        CgroupDeviceProgram.replace(jni(), cgroup, DeviceProgram.of(List.of(allow('c', 1, 5, "rwm"), allow('c', 1, 3, "r")))
                .instructions());
        assertThat(tryDevices()).isEqualTo("zero ok\nnull ok\nfull refused\n");
    }

    @Test
    void replacingAProgramLeavesOnlyTheNewOneInForce() throws Exception {
        CgroupDeviceProgram.replace(jni(), cgroup, DeviceProgram.of(List.of(allow('c', 1, 5, "rwm"), allow('c', 1, 3, "r")))
                .instructions());
        CgroupDeviceProgram.replace(jni(), cgroup, DeviceProgram.of(List.of(allow('c', 1, 5, "rwm"), allow('c', 1, 7, "r")))
                .instructions());
        assertThat(tryDevices()).isEqualTo("zero ok\nnull refused\nfull ok\n");
    }

    @Test
    void aProgramTheKernelRefusesIsAnErrorNamingTheCgroup() {
        byte[] notAProgram = new byte[16]; // two zero instructions: not valid eBPF
        assertThatThrownBy(() -> CgroupDeviceProgram.replace(jni(), cgroup, notAProgram))
                .isInstanceOf(IOException.class).hasMessageContaining("load the device program").hasMessageContaining(cgroup.toString());
        assertThatThrownBy(() -> CgroupDeviceProgram.replace(jni(), cgroup.resolve("missing"), DeviceProgram.of(List.of()).instructions()))
                .isInstanceOf(IOException.class).hasMessageContaining("open cgroup " + cgroup.resolve("missing"));
    }
}
