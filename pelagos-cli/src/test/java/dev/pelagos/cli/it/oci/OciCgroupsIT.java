package dev.pelagos.cli.it.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI containers' cgroups on a v1 (or hybrid) host, through the real binary: every hierarchy is
 * joined by run and exec, exec picks sub-cgroups, device rules hold across updates, update lifts a
 * memory limit and sets real-time CPU limits, events reports an OOM kill as it happens.
 */
class OciCgroupsIT {
    private static final Path CG = Path.of("/sys/fs/cgroup");

    @TempDir
    Path tmp;
    private Path bin;
    private String id;
    private String parent;
    private final List<Process> started = new ArrayList<>();

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void needsAV1HostRootAndBusybox() {
        Pelagos.requireEnvironment();
        assumeTrue(Files.isRegularFile(CG.resolve("memory/cgroup.procs")), "needs cgroup v1 (this test is about v1 hierarchies)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static at /bin/busybox");
        bin = Pelagos.installedHome().resolve("bin/pelagos");
        id = "cgit-" + ProcessHandle.current().pid();
        parent = "pelagos-it-cg-" + ProcessHandle.current().pid();
    }

    @AfterEach
    void cleanUp() throws Exception {
        started.forEach(Process::destroyForcibly);
        pelagos("delete", "--force", id);
        try (var s = Files.list(CG)) {
            for (Path h : s.toList()) {
                Path p = h.resolve(parent);
                if (Files.isDirectory(p) && !Files.isSymbolicLink(h)) {
                    try (var sub = Files.walk(p)) {
                        for (Path d : sub.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                            Files.deleteIfExists(d);
                        }
                    }
                }
            }
        }
    }

    private Run pelagos(String... args) throws Exception {
        return pelagosWithInput(Path.of("/dev/null"), args);
    }

    private Run pelagosWithInput(Path stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--root", tmp.resolve("state").toString()));
        cmd.addAll(List.of(args));
        // files, not pipes: a detached container keeps the stdio it was given open for its lifetime
        Path out = Files.createTempFile(tmp, "out", "");
        Path err = Files.createTempFile(tmp, "err", "");
        Process p = new ProcessBuilder(cmd).redirectInput(stdin.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Run ok(String... args) throws Exception {
        Run r = pelagos(args);
        assertThat(r.code()).as("pelagos %s: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    /** A busybox bundle whose config the caller edits; the container's cgroup is /PARENT/ID. */
    private Path bundle(Consumer<JsonObject> edit) throws Exception {
        OciBundle b = new OciBundle(tmp);
        b.args("sleep", "300");
        b.config.getAsJsonObject("linux").addProperty("cgroupsPath", "/" + parent + "/" + id);
        edit.accept(b.config);
        b.writeConfig();
        return b.dir;
    }

    private String cgroupPath() {
        return "/" + parent + "/" + id;
    }

    @Test
    void runAndExecJoinEveryMountedHierarchyAndDeleteLeavesNone() throws Exception {
        Path b = bundle(c -> { });
        ok("run", "-d", "--bundle", b.toString(), id);
        String pid = JsonParser.parseString(ok("state", id).out()).getAsJsonObject().get("pid").getAsString();
        List<String> own = Files.readAllLines(Path.of("/proc", pid, "cgroup"));
        List<String> exec = ok("exec", id, "cat", "/proc/self/cgroup").out().lines().toList();
        for (List<String> lines : List.of(own, exec)) {
            // one line per hierarchy, including name=systemd and a hybrid host's "0::" line
            assertThat(lines).hasSameSizeAs(Files.readAllLines(Path.of("/proc/self/cgroup")))
                    .allMatch(l -> l.endsWith(":" + cgroupPath()), "ends with :" + cgroupPath());
        }
        ok("delete", "--force", id);
        try (var s = Files.list(CG)) {
            assertThat(s.map(h -> h.resolve(parent).resolve(id))).noneMatch(Files::exists);
        }
    }

    @Test
    void execJoinsSubCgroupsPerControllerAndRefusesWhatIsNotBelowTheContainer() throws Exception {
        Path b = bundle(c -> { });
        ok("run", "-d", "--bundle", b.toString(), id);
        Files.createDirectory(CG.resolve("memory").resolve(parent).resolve(id).resolve("submem"));
        List<String> lines = ok("exec", "--cgroup", "memory:submem", id, "cat", "/proc/self/cgroup").out().lines().toList();
        assertThat(lines).anyMatch(l -> l.endsWith(":memory:" + cgroupPath() + "/submem"))
                .anyMatch(l -> l.endsWith(":pids:" + cgroupPath()));
        assertThat(pelagos("exec", "--cgroup", "..", id, "true").err()).contains(".. is not a sub cgroup path");
        assertThat(pelagos("exec", "--cgroup", "nothere", id, "true").err()).contains("/nothere/cgroup.procs: no such file");
        assertThat(pelagos("exec", "--cgroup", "nosuchctl:/", id, "true").err()).contains("unknown controller nosuchctl");
        // a script on exec's stdin (how a caller moves a process into a sub-cgroup from inside)
        Path script = tmp.resolve("script.sh");
        Files.writeString(script, "cat /proc/self/cgroup\n");
        Run fromStdin = pelagosWithInput(script, "exec", "--cgroup", "memory:submem", id, "sh");
        assertThat(fromStdin.out()).as(fromStdin.err()).contains(":memory:" + cgroupPath() + "/submem");
        // delete --force kills what runs in a sub-cgroup and removes it with the rest
        ok("exec", "-d", "--cgroup", "memory:submem", id, "sleep", "300");
        assertThat(Files.readString(CG.resolve("memory").resolve(parent).resolve(id).resolve("submem/cgroup.procs"))).isNotBlank();
        ok("delete", "--force", id);
        assertThat(CG.resolve("memory").resolve(parent).resolve(id)).doesNotExist();
    }

    @Test
    void aDeniedDeviceStaysDeniedAcrossUpdates() throws Exception {
        assumeTrue(Files.isRegularFile(CG.resolve("devices/devices.list")), "needs the v1 devices controller");
        Path b = bundle(c -> {
            JsonObject linux = c.getAsJsonObject("linux");
            linux.getAsJsonObject("resources").add("devices", JsonParser.parseString(
                    "[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"rwa\"}]"));
            linux.add("devices", JsonParser.parseString("[{\"path\":\"/dev/kmsg\",\"type\":\"c\",\"major\":1,\"minor\":11}]"));
            JsonObject caps = c.getAsJsonObject("process").getAsJsonObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                caps.getAsJsonArray(set).add("CAP_SYSLOG");
            }
        });
        ok("run", "-d", "--bundle", b.toString(), id);
        Path devices = CG.resolve("devices").resolve(parent).resolve(id);
        String before = Files.readString(devices.resolve("devices.list"));
        assertThat(before).doesNotContain("c 1:11").doesNotContain("a *:*");
        assertThat(pelagos("exec", id, "head", "-c", "1", "/dev/kmsg").err()).contains("Operation not permitted");
        ok("update", "--pids-limit", "42", id);
        assertThat(Files.readString(devices.resolve("devices.list"))).isEqualTo(before);
        assertThat(pelagos("exec", id, "head", "-c", "1", "/dev/kmsg").err()).contains("Operation not permitted");
        // update -r with device rules moves to them without passing through allow-all
        Path r = tmp.resolve("r.json");
        Files.writeString(r, "{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,"
                + "\"minor\":11,\"access\":\"r\"}]}");
        ok("update", "-r", r.toString(), id);
        assertThat(Files.readString(devices.resolve("devices.list"))).contains("c 1:11 r").doesNotContain("a *:*");
    }

    @Test
    void updateMinusOneLiftsTheMemoryLimitAndTheMemoryPlusSwapLimit() throws Exception {
        Path b = bundle(c -> c.getAsJsonObject("linux").getAsJsonObject("resources")
                .add("memory", JsonParser.parseString("{\"limit\":67108864}")));
        ok("run", "-d", "--bundle", b.toString(), id);
        Path memory = CG.resolve("memory").resolve(parent).resolve(id);
        assertThat(Files.readString(memory.resolve("memory.limit_in_bytes")).strip()).isEqualTo("67108864");
        ok("update", "--memory", "-1", id);
        assertThat(Files.readString(memory.resolve("memory.limit_in_bytes")).strip()).isEqualTo("9223372036854771712");
        if (Files.exists(memory.resolve("memory.memsw.limit_in_bytes"))) {
            assertThat(Files.readString(memory.resolve("memory.memsw.limit_in_bytes")).strip()).isEqualTo("9223372036854771712");
        }
    }

    @Test
    void realtimeLimitsInACgroupPreparedOnlyInTheCpuHierarchy() throws Exception {
        Path cpuParent = CG.resolve("cpu").resolve(parent);
        assumeTrue(Files.isRegularFile(CG.resolve("cpu/cpu.rt_runtime_us")), "needs real-time group scheduling");
        // prepared only in the cpu hierarchy, with a real-time budget, as a caller would
        Files.createDirectories(cpuParent.resolve(id));
        try {
            Files.writeString(cpuParent.resolve("cpu.rt_runtime_us"), "20000");
        } catch (IOException e) {
            Assumptions.abort("the host's real-time budget is taken by other cgroups: " + e.getMessage());
        }
        Files.writeString(cpuParent.resolve(id).resolve("cpu.rt_runtime_us"), "10000");
        Path b = bundle(c -> c.getAsJsonObject("linux").getAsJsonObject("resources")
                .add("memory", JsonParser.parseString("{\"limit\":67108864}")));
        // the memory limit needs the memory hierarchy, which the prepared cgroup did not have yet
        ok("run", "-d", "--bundle", b.toString(), id);
        assertThat(Files.readString(CG.resolve("memory").resolve(parent).resolve(id).resolve("memory.limit_in_bytes")).strip())
                .isEqualTo("67108864");
        ok("update", "--cpu-rt-period", "900000", "--cpu-rt-runtime", "5000", id);
        assertThat(Files.readString(cpuParent.resolve(id).resolve("cpu.rt_period_us")).strip()).isEqualTo("900000");
        assertThat(Files.readString(cpuParent.resolve(id).resolve("cpu.rt_runtime_us")).strip()).isEqualTo("5000");
        assertThat(pelagos("update", "--cpu-rt-period", "1000", "--cpu-rt-runtime", "2000", id).err())
                .contains("real-time runtime 2000µs is longer than its period 1000µs");
        ok("delete", "--force", id);
        assertThat(cpuParent.resolve(id)).doesNotExist();
    }

    @Test
    void eventsReportsAnOomKillAsItHappensNotAtTheNextSample() throws Exception {
        assumeTrue(Files.isRegularFile(CG.resolve("memory/memory.memsw.limit_in_bytes")), "needs swap accounting to rule out swap");
        Path b = bundle(c -> c.getAsJsonObject("linux").getAsJsonObject("resources")
                .add("memory", JsonParser.parseString("{\"limit\":33554432,\"swap\":33554432}")));
        ok("run", "-d", "--bundle", b.toString(), id);
        Path log = tmp.resolve("events.log");
        Process events = new ProcessBuilder(bin.toString(), "--root", tmp.resolve("state").toString(), "events", "--interval", "120s", id)
                .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        started.add(events);
        assertThat(waitFor(log, "\"type\":\"stats\"", 10)).as("first stats sample").isTrue();
        ok("exec", "-d", id, "sh", "-c", "x=$(dd if=/dev/urandom bs=1M count=200)");
        assertThat(waitFor(log, "{\"type\":\"oom\",\"id\":\"" + id + "\"}", 20)).as("oom event in %s", log).isTrue();
        assertThat(Files.readString(log)).doesNotContain("oomKills");
        ok("delete", "--force", id);
        assertThat(events.waitFor(10, TimeUnit.SECONDS)).as("events ends with the container").isTrue();
        assertThat(events.exitValue()).isZero();
    }

    private static boolean waitFor(Path file, String text, int seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
