package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cli.it.Pelagos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pelagos exec} against a running detached container, compared with the container's PID 1 as
 * the host sees it: the exec'd process is in every one of its namespaces (mnt, uts, ipc, net, pid,
 * cgroup) and its cgroup, has its environment (plus {@code -e}), {@code -w} and {@code -u}, the same
 * capability sets, no-new-privileges and seccomp mode, holds only fds 0-2 (none of the host's) and
 * sees no host binary in the container's /proc; its exit code (and 126/127) comes back; {@code -d}
 * leaves it running inside. A failure means exec would be an escape hatch around the container's
 * isolation, or scripts could not trust its exit status.
 */
class ExecIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;
    private static String id;
    private static long pid1;

    @BeforeAll
    static void startContainer() {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
        id = host.runDetached("--name", "box", "-e", "FROM_RUN=yes", "--cap-drop", "CHOWN", "--hostname", "boxhost",
                "--rootfs", Pelagos.busyboxRootfs().toString(), "sleep", "120");
        pid1 = host.pidFile(id).pid();
    }

    @AfterAll
    static void removeContainer() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    private static Pelagos.Result exec(String... argv) {
        List<String> a = new ArrayList<>(List.of("exec"));
        a.addAll(List.of(argv));
        return pelagos.run(a);
    }

    @Test
    void joinsEveryNamespaceAndTheCgroup() throws Exception {
        List<String> kinds = List.of("mnt", "uts", "ipc", "net", "pid", "cgroup");
        Pelagos.Result r = exec("box", "sh", "-c",
                "for n in " + String.join(" ", kinds) + "; do readlink /proc/self/ns/$n; done; echo $$; hostname; "
                        + "cat /proc/1/cmdline; echo; cat /proc/self/cgroup; echo ==; cat /proc/1/cgroup");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        for (int i = 0; i < kinds.size(); i++) {
            String container = Files.readSymbolicLink(Path.of("/proc/" + pid1 + "/ns/" + kinds.get(i))).toString();
            assertThat(lines.get(i)).as("%s namespace of the exec'd process", kinds.get(i)).isEqualTo(container);
        }
        assertThat(Long.parseLong(lines.get(kinds.size()))).as("pid inside the container's PID namespace").isBetween(2L, 100L);
        assertThat(lines.get(kinds.size() + 1)).isEqualTo("boxhost");
        assertThat(lines.get(kinds.size() + 2)).as("/proc is the container's").isEqualTo("sleep\u0000120\u0000");
        String cgroups = r.out().substring(r.out().indexOf(lines.get(kinds.size() + 3)));
        String[] selfAndInit = cgroups.split("==\n");
        assertThat(selfAndInit[0]).as("same cgroups as PID 1").isEqualTo(selfAndInit[1]);

        // and from the host: a detached exec's process sits in the container's cgroups
        assertThat(exec("-d", "box", "sleep", "77").code()).isZero();
        long execPid = awaitHostProcess("sleep\u000077\u0000");
        assertThat(Files.readString(Path.of("/proc/" + execPid + "/cgroup")))
                .isEqualTo(Files.readString(Path.of("/proc/" + pid1 + "/cgroup")));
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + execPid + "/ns/pid")))
                .isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + pid1 + "/ns/pid")));
        assertThat(exec("box", "sh", "-c", "ps -o args | grep -c '^sleep 77'").line()).as("exec -d runs inside").isEqualTo("1");
    }

    @Test
    void hasTheContainersEnvironmentAndSecurity() throws Exception {
        Pelagos.Result env = exec("-e", "EXTRA=1", "-w", "/tmp", "box", "sh", "-c", "echo $FROM_RUN $EXTRA $PATH; pwd");
        assertThat(env.out()).isEqualTo("yes 1 /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n/tmp\n");
        assertThat(exec("-u", "1000:50", "box", "sh", "-c", "echo $(id -u) $(id -g)").line()).isEqualTo("1000 50");

        String status = exec("box", "cat", "/proc/self/status").out();
        String hostView = Files.readString(Path.of("/proc/" + pid1 + "/status"));
        for (String field : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp")) {
            assertThat(line(status, field)).as("%s of the exec'd process vs the container's PID 1", field).isEqualTo(line(hostView, field));
        }
        assertThat(line(status, "Seccomp")).isEqualTo("Seccomp:\t2");
        assertThat(line(status, "NoNewPrivs")).isEqualTo("NoNewPrivs:\t1");
        assertThat(line(status, "CapEff")).as("--cap-drop CHOWN holds for exec too").isEqualTo("CapEff:\t00000000800405fa");
        assertThat(exec("box", "chown", "1000", "/tmp").code()).as("chown without CAP_CHOWN").isNotZero();
    }

    @Test
    void exposesNoHostFdOrBinary() throws Exception {
        // foreground exec: the process holds the caller's stdio and nothing else
        try (Pelagos.Running fg = pelagos.start("exec", "box", "sleep", "79")) {
            long p = awaitHostProcess("sleep\u000079\u0000");
            assertThat(fdsOf(p)).as("fds of a foreground exec").containsOnlyKeys("0", "1", "2");
            fg.process.destroy();
        }
        assertThat(exec("-d", "box", "sleep", "78").code()).isZero();
        long p = awaitHostProcess("sleep\u000078\u0000");
        java.util.Map<String, String> fds = fdsOf(p);
        assertThat(fds).as("fds of a detached exec").containsOnlyKeys("0", "1", "2");
        assertThat(fds.values()).allSatisfy(t -> assertThat(t).matches("/dev/null|pipe:\\[\\d+\\]"));

        Pelagos.Result exes = exec("box", "sh", "-c", "for p in /proc/[0-9]*; do readlink $p/exe; done");
        assertThat(exes.out().lines().toList()).as("binaries visible in the container").isNotEmpty()
                .allSatisfy(e -> assertThat(e).isIn("/bin/busybox", "/bin/sleep", "/bin/sh", "/bin/readlink"));
    }

    private static java.util.Map<String, String> fdsOf(long pid) throws IOException {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path f : s.toList()) {
                m.put(f.getFileName().toString(), Files.readSymbolicLink(f).toString());
            }
        }
        return m;
    }

    @Test
    void returnsTheExitCode() {
        assertThat(exec("box", "sh", "-c", "exit 7").code()).isEqualTo(7);
        Pelagos.Result missing = exec("box", "/no/such/program");
        assertThat(missing.code()).isEqualTo(127);
        Pelagos.assertOneErrorLine(missing);
        Pelagos.Result notExec = exec("box", "/etc/passwd");
        assertThat(notExec.code()).isEqualTo(126);
        Pelagos.assertOneErrorLine(notExec);
        Pelagos.Result noDir = exec("-w", "/no/such/dir", "box", "true");
        assertThat(noDir.code()).as("Docker: an exec that cannot enter its workdir is 126").isEqualTo(126);
        Pelagos.assertOneErrorLine(noDir);
        assertThat(exec("box", "true").code()).isZero();
        assertThat(exec("-i", "box", "cat").code()).as("-i with stdin at EOF").isZero();
        assertThat(HostView.alive(pid1)).as("the container survives its execs").isTrue();
    }

    /** stdin reaches the process with -i (byte for byte, megabytes of it) and only with -i, for exec and run alike. */
    @Test
    void stdinReachesTheProcessOnlyWithInteractive() throws Exception {
        String p = Pelagos.launcher().toString();
        assertThat(sh("printf 'a\\nb\\n' | " + p + " exec -i box wc -l").line()).isEqualTo("2");
        assertThat(sh("printf 'a\\nb\\n' | " + p + " exec box wc -l").line()).as("without -i stdin is not attached").isEqualTo("0");
        Path data = tmp.resolve("stdin.bin");
        assertThat(sh("head -c 5000000 /dev/urandom > " + data).code()).isZero();
        String expected = sh("md5sum < " + data).out().split(" ")[0];
        assertThat(sh(p + " exec -i box md5sum < " + data).out().split(" ")[0]).isEqualTo(expected);
        assertThat(sh("echo hello | " + p + " run -i --rm --rootfs " + Pelagos.busyboxRootfs() + " cat").out()).isEqualTo("hello\n");
        assertThat(sh(p + " exec box head -c 3000000 /dev/zero | wc -c").line()).as("stdout of exec, intact").isEqualTo("3000000");
    }

    private static Pelagos.Result sh(String script) {
        return pelagos.exec(List.of("/bin/sh", "-c", script));
    }

    private static String line(String status, String field) {
        return status.lines().filter(l -> l.startsWith(field + ":")).findFirst().orElseThrow();
    }

    /** The host PID of the one process whose command line is exactly {@code cmdline}. */
    private static long awaitHostProcess(String cmdline) throws IOException {
        long[] found = {0};
        HostView.await("a host process running " + cmdline.replace('\0', ' '), Duration.ofSeconds(10), () -> {
            try (Stream<Path> s = Files.list(Path.of("/proc"))) {
                for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        if (Files.readString(p.resolve("cmdline")).equals(cmdline)) {
                            found[0] = Long.parseLong(p.getFileName().toString());
                            return true;
                        }
                    } catch (IOException e) {
                        // gone while we looked
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return false;
        });
        return found[0];
    }
}
