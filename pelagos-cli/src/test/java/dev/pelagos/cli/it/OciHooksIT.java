package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI hooks through the CLI, as root, with shell hooks that append one line each to a log: the
 * phase, the mount namespace they ran in, their environment and the state JSON they got on stdin.
 * 'run' honours every phase at the moment create then start would; startContainer hooks run
 * inside the container (its namespaces, its seccomp filter) before the process, and their
 * failure stops the start.
 */
class OciHooksIT {
    private static final String PHASES = "prestart createRuntime createContainer startContainer poststart poststop";

    @TempDir
    Path tmp;
    private Pelagos pelagos;
    private Path log;
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        pelagos = new Pelagos(tmp);
        Files.createDirectories(tmp.resolve("shared"));
        log = tmp.resolve("shared/log");
        root = tmp.resolve("oci-root");
    }

    /** The rootfs copy is full of absolute busybox links, which JUnit's clean-up would warn about one by one. */
    @AfterEach
    void removeBundle() throws Exception {
        assertThat(new ProcessBuilder("rm", "-rf", tmp.resolve("bundle").toString()).inheritIO().start().waitFor()).isZero();
    }

    /**
     * A hook that logs "PHASE MNT_NS HOOKVAR CWD STATE"; after pivot_root (startContainer) the log
     * is at /hooklog, before it (every other phase) at its host path.
     */
    private String hook(String phase, String command) {
        String logPath = phase.equals("startContainer") ? "/hooklog/log" : log.toString();
        String script = command != null ? command
                : "echo \\\"" + phase + " $(readlink /proc/self/ns/mnt) $HOOKVAR $(pwd) $(cat)\\\" >> " + logPath;
        return "{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"" + script + "\"],"
                + "\"env\":[\"PATH=/usr/bin:/bin\",\"HOOKVAR=var-" + phase + "\"]}";
    }

    private Path bundle(String hooksJson, String seccompJson) throws Exception {
        Path b = tmp.resolve("bundle");
        Files.createDirectories(b);
        Process cp = new ProcessBuilder("cp", "-a", Pelagos.busyboxRootfs().toString(), b.resolve("rootfs").toString())
                .inheritIO().start();
        assertThat(cp.waitFor()).isZero();
        String config = """
                {"ociVersion":"1.0.2",
                 "process":{"terminal":false,"user":{"uid":0,"gid":0},"cwd":"/","env":["PATH=/bin"],
                   "args":["sh","-c","echo \\"process $(readlink /proc/self/ns/mnt)\\" >> /hooklog/log"]},
                 "root":{"path":"rootfs"},
                 "hostname":"hooks",
                 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
                           {"destination":"/hooklog","type":"bind","source":"%s","options":["rbind","rw"]}],
                 "hooks":%s,
                 "linux":{"namespaces":[{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":"uts"},{"type":"network"}]%s}}
                """.formatted(tmp.resolve("shared"), hooksJson, seccompJson == null ? "" : ",\"seccomp\":" + seccompJson);
        Files.writeString(b.resolve("config.json"), config);
        return b;
    }

    private String allHooks() {
        List<String> parts = new ArrayList<>();
        for (String phase : PHASES.split(" ")) {
            parts.add("\"" + phase + "\":[" + hook(phase, null) + "]");
        }
        return "{" + String.join(",", parts) + "}";
    }

    private Pelagos.Result oci(String... args) {
        List<String> argv = new ArrayList<>(List.of("--root", root.toString()));
        argv.addAll(List.of(args));
        return pelagos.run(argv);
    }

    private List<String> logLines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static String field(List<String> lines, String phase, int index) {
        return lines.stream().filter(l -> l.startsWith(phase + " ")).findFirst().orElseThrow(
                () -> new AssertionError("no " + phase + " line in " + lines)).split(" ", 5)[index];
    }

    private static JsonObject state(List<String> lines, String phase) {
        return JsonParser.parseString(field(lines, phase, 4)).getAsJsonObject();
    }

    private static String hostMountNs() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
    }

    @Test
    void runHonoursEveryPhaseInOrderWhereEachBelongs() throws Exception {
        Path b = bundle(allHooks(), null);
        Pelagos.Result r = oci("run", "-b", b.toString(), "hooks-run");
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();

        List<String> lines = logLines();
        List<String> order = lines.stream().map(l -> l.split(" ", 2)[0]).toList();
        // the process runs after startContainer and before poststop; poststart races it, as it may
        assertThat(order.stream().filter(p -> !p.equals("process")).toList()).containsExactly(PHASES.split(" "));
        assertThat(order.indexOf("process")).isGreaterThan(order.indexOf("startContainer")).isLessThan(order.indexOf("poststop"));

        String host = hostMountNs();
        String container = field(lines, "process", 1);
        assertThat(container).isNotEqualTo(host);
        for (String phase : List.of("prestart", "createRuntime", "poststart", "poststop")) {
            assertThat(field(lines, phase, 1)).as(phase).isEqualTo(host);
        }
        // createContainer: in the container's namespaces before pivot_root, in the root it is about to enter
        assertThat(field(lines, "createContainer", 1)).isEqualTo(container);
        assertThat(field(lines, "createContainer", 3)).isEqualTo(b.resolve("rootfs").toString());
        assertThat(field(lines, "startContainer", 1)).isEqualTo(container);
        assertThat(field(lines, "startContainer", 3)).isEqualTo("/");
        for (String phase : PHASES.split(" ")) {
            assertThat(field(lines, phase, 2)).as("a hook's env is exactly its own").isEqualTo("var-" + phase);
            assertThat(state(lines, phase).get("id").getAsString()).isEqualTo("hooks-run");
            assertThat(state(lines, phase).get("bundle").getAsString()).isEqualTo(b.toString());
        }
        assertThat(state(lines, "prestart").get("status").getAsString()).isEqualTo("created");
        assertThat(state(lines, "startContainer").get("status").getAsString()).isEqualTo("created");
        assertThat(state(lines, "poststart").get("status").getAsString()).isEqualTo("running");
        assertThat(state(lines, "poststop").get("status").getAsString()).isEqualTo("stopped");
        int pid = state(lines, "prestart").get("pid").getAsInt();
        assertThat(pid).isGreaterThan(1);
        // the pid as the host sees it, also for the hooks run inside (where it is 1)
        for (String phase : List.of("createRuntime", "createContainer", "startContainer", "poststart")) {
            assertThat(state(lines, phase).get("pid").getAsInt()).as(phase).isEqualTo(pid);
        }
        // a foreground run removes the container when it ends
        assertThat(oci("state", "hooks-run").code()).isNotZero();
    }

    /**
     * What such hooks are for (GPU runtimes, library injection): a createRuntime hook bind-mounts a
     * host file into the container's mount namespace at the root's host path (through nsenter and
     * the pid in its state), a createContainer hook does it from inside, relative to the root. Both
     * only work before pivot_root.
     */
    @Test
    void createTimeHooksCanMountIntoTheRootBeforePivot() throws Exception {
        Files.writeString(tmp.resolve("shared/from-runtime"), "runtime-lib\n");
        Files.writeString(tmp.resolve("shared/from-container"), "container-lib\n");
        String rootfs = tmp.resolve("bundle/rootfs").toString();
        String createRuntime = "pid=$(sed -n 's/.*[{,]\\\"pid\\\":\\\\([0-9]*\\\\).*/\\\\1/p');"
                + " touch " + rootfs + "/lib/cr && nsenter -m -t $pid mount --bind " + tmp.resolve("shared/from-runtime") + " "
                + rootfs + "/lib/cr";
        String createContainer = "touch ./lib/cc && mount --bind " + tmp.resolve("shared/from-container") + " ./lib/cc";
        Path b = bundle("{\"createRuntime\":[" + hook("createRuntime", createRuntime) + "],\"createContainer\":["
                + hook("createContainer", createContainer) + "]}", null);
        Files.createDirectories(b.resolve("rootfs/lib"));
        Files.writeString(b.resolve("config.json"), Files.readString(b.resolve("config.json"))
                .replace("\"args\":[\"sh\",\"-c\",\"echo", "\"args\":[\"sh\",\"-c\",\"cat /lib/cr /lib/cc\",\"ignored\",\"echo"));
        Pelagos.Result r = oci("run", "-b", b.toString(), "hooks-mount");
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).isEqualTo("runtime-lib\ncontainer-lib\n");
    }

    /** The filter is in force for startContainer hooks: one that makes a killed syscall fails the run. */
    @Test
    void aStartContainerHookRunsUnderTheFilterAndItsFailureStopsTheRun() throws Exception {
        String seccomp = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
                + "\"action\":\"SCMP_ACT_KILL\"}]}";
        Path b = bundle("{\"startContainer\":[" + hook("startContainer", "mkdir /tmp/x") + "],\"poststop\":["
                + hook("poststop", null) + "]}", seccomp);
        Pelagos.Result r = oci("run", "-b", b.toString(), "hooks-sc");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("error running hook #0 (startContainer /bin/sh): killed by signal 31 (bad system call)");
        List<String> lines = logLines();
        assertThat(lines.stream().map(l -> l.split(" ", 2)[0]).toList()).containsExactly("poststop");
        assertThat(oci("state", "hooks-sc").code()).isNotZero();
    }

    @Test
    void createThenStartRunsEachPhaseAtItsMomentAndAStartContainerFailureFailsStart() throws Exception {
        Path b = bundle(allHooks(), null);
        Pelagos.Result create = oci("create", "-b", b.toString(), "hooks-ok");
        assertThat(create.code()).as("stderr: %s", create.err()).isZero();
        try {
            assertThat(logLines().stream().map(l -> l.split(" ", 2)[0]).toList())
                    .containsExactly("prestart", "createRuntime", "createContainer");
            Pelagos.Result start = oci("start", "hooks-ok");
            assertThat(start.code()).as("stderr: %s", start.err()).isZero();
            for (int i = 0; i < 200 && logLines().size() < 6; i++) {
                Thread.sleep(10);
            }
            List<String> lines = logLines();
            assertThat(lines.stream().map(l -> l.split(" ", 2)[0]).filter(p -> !p.equals("process")).toList())
                    .containsExactly("prestart", "createRuntime", "createContainer", "startContainer", "poststart");
            String container = field(lines, "process", 1);
            assertThat(container).isNotEqualTo(hostMountNs());
            assertThat(field(lines, "createContainer", 1)).isEqualTo(container);
            assertThat(field(lines, "startContainer", 1)).isEqualTo(container);
            assertThat(field(lines, "prestart", 1)).isEqualTo(hostMountNs());
        } finally {
            oci("delete", "--force", "hooks-ok");
        }
        assertThat(logLines().getLast()).startsWith("poststop ");

        Files.delete(log);
        Files.writeString(b.resolve("config.json"), Files.readString(b.resolve("config.json")).replace(allHooks(),
                "{\"startContainer\":[" + hook("startContainer", "exit 3") + "]}"));
        assertThat(oci("create", "-b", b.toString(), "hooks-bad").code()).isZero();
        try {
            Pelagos.Result start = oci("start", "hooks-bad");
            assertThat(start.code()).isNotZero();
            assertThat(start.err()).contains("could not start").contains("error running hook #0 (startContainer /bin/sh): it failed with exit code 3");
            Pelagos.Result state = oci("state", "hooks-bad");
            for (int i = 0; i < 200 && !state.out().contains("stopped"); i++) {
                Thread.sleep(10);
                state = oci("state", "hooks-bad");
            }
            assertThat(state.out()).contains("\"status\": \"stopped\"");
            assertThat(logLines()).as("the process never ran").isEmpty();
        } finally {
            assertThat(oci("delete", "--force", "hooks-bad").code()).isZero();
        }
    }

    @Test
    void aPrestartHookThatTimesOutStopsTheRunAndLeavesNothing() throws Exception {
        String slow = "{\"path\":\"/bin/sleep\",\"args\":[\"sleep\",\"20\"],\"timeout\":1}";
        Path b = bundle("{\"prestart\":[" + slow + "],\"poststop\":[" + hook("poststop", null) + "]}", null);
        long t0 = System.nanoTime();
        Pelagos.Result r = oci("run", "-b", b.toString(), "hooks-slow");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("error running hook #0 (prestart /bin/sleep): timed out after 1s");
        assertThat(logLines().stream().map(l -> l.split(" ", 2)[0]).toList()).containsExactly("poststop");
        assertThat(oci("state", "hooks-slow").code()).isNotZero();
    }

    @Test
    void aHookThatCannotBeStartedIsOneClearErrorAndLeavesNothing() throws Exception {
        Path b = bundle("{\"createRuntime\":[{\"path\":\"/nonexistent/hook\"}]}", null);
        Pelagos.Result r = oci("run", "-b", b.toString(), "hooks-missing");
        assertThat(r.code()).isNotZero();
        Pelagos.assertOneErrorLine(r);
        assertThat(r.err()).contains("error running hook #0 (createRuntime /nonexistent/hook): could not start it: No such file or directory");
        assertThat(oci("state", "hooks-missing").code()).isNotZero();
        assertThat(logLines()).as("the process never ran").isEmpty();
    }

    @Test
    void aFailingCreateContainerHookFailsCreateWithOneErrorAndLeavesNothing() throws Exception {
        Path b = bundle("{\"createContainer\":[" + hook("createContainer", "exit 4") + "]}", null);
        Pelagos.Result r = oci("create", "-b", b.toString(), "hooks-cc");
        assertThat(r.code()).isNotZero();
        Pelagos.assertOneErrorLine(r);
        assertThat(r.err()).contains("could not be created: error running hook #0 (createContainer /bin/sh): it failed with exit code 4");
        assertThat(oci("state", "hooks-cc").code()).isNotZero();
        assertThat(root.resolve("hooks-cc")).doesNotExist();
    }

    @Test
    void runDetachedRunsTheStartHooksAndDeleteRunsPoststop() throws Exception {
        Path b = bundle(allHooks(), null);
        Pelagos.Result r = oci("run", "-d", "-b", b.toString(), "hooks-detached");
        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        try {
            for (int i = 0; i < 200 && logLines().size() < 6; i++) {
                Thread.sleep(10);
            }
            assertThat(logLines().stream().map(l -> l.split(" ", 2)[0]).filter(p -> !p.equals("process")).toList())
                    .containsExactly("prestart", "createRuntime", "createContainer", "startContainer", "poststart");
        } finally {
            assertThat(oci("delete", "--force", "hooks-detached").code()).isZero();
        }
        assertThat(logLines().getLast()).startsWith("poststop ");
    }
}
