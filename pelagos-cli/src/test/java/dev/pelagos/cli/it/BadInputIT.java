package dev.pelagos.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad input to `pelagos run` — caught by the parser, by the planner or inside the
 * helper — gets one clear `pelagos: error:` line (and at most a hint), the right exit code (2 for
 * usage errors, 125 for the rest) and leaves nothing behind: no state directory, no name entry, no
 * mount on the host. A failure means a typo can leave debris, a confusing message, or a name that
 * can no longer be used.
 */
class BadInputIT {
    @TempDir
    Path tmp;
    private Pelagos pelagos;
    private Path rootfs;

    @BeforeEach
    void setUp() throws Exception {
        pelagos = new Pelagos(tmp);
        rootfs = Pelagos.probeRootfsCopy(tmp);
    }

    /**
     * @param options space-separated options placed before --rootfs ({@code @TMP} = this test's temp dir)
     * @param message the start of the error line after {@code pelagos: error: }
     */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '#', value = {
        "--bogus#2#unknown option '--bogus' for 'pelagos run'",
        "-Z#2#unknown option '-Z' for 'pelagos run'",
        "--rm=maybe#2#option '--rm' takes no value",
        "--cap-add NOPE#125#unknown capability 'NOPE'",
        "--cap-drop CAP_NOPE#125#unknown capability 'CAP_NOPE'",
        "--ulimit nofile#125#invalid --ulimit 'nofile': expected RESOURCE=SOFT:HARD",
        "--ulimit bogus=1:2#125#invalid --ulimit 'bogus=1:2': unknown ulimit resource 'bogus'",
        "--ulimit nofile=2:1#125#invalid --ulimit 'nofile=2:1': the soft limit is above the hard limit",
        "--bind nocolon#125#invalid --bind 'nocolon': expected /host:/container",
        "--bind-ro /a:rel#125#invalid --bind-ro '/a:rel': the container path 'rel' must be absolute",
        "--bind @TMP/missing:/x#125#bind source '@TMP/missing' does not exist",
        "-v x#125#invalid --volume 'x': expected NAME:/path or /host:/path[:ro|rw]",
        "-v bad!name:/x#125#invalid volume name 'bad!name'",
        "--tmpfs relative#125#invalid --tmpfs 'relative': the container path 'relative' must be absolute",
        "--tmpfs /t:bogus#125#invalid --tmpfs option 'bogus' for /t",
        "--sysctl kernel.core_pattern=x#125#--sysctl 'kernel.core_pattern' is not allowed",
        "--sysctl noequals#125#invalid --sysctl 'noequals': expected KEY=VALUE",
        "--network nonesuch#125#network 'nonesuch' not found",
        "--network bad!net#125#unknown network 'bad!net'",
        "--network host --network bridge#125#--network bridge cannot be combined with another --network host",
        "--network host --sysctl net.core.somaxconn=1#125#--sysctl net.* cannot be used with --network host",
        "-w relative#125#invalid --workdir 'relative': the path must be absolute",
        "-u nosuchuser#125#unable to find user nosuchuser",
        "-u 0:nosuchgroup#125#unable to find group nosuchgroup",
        "--group-add nosuchgroup#125#unable to find group nosuchgroup",
        "-u 2147483648#125#user id 2147483648 is out of range",
        "-u 4294967295#125#user id 4294967295 is out of range",
        "-u 0:4294967296#125#group id 4294967296 is out of range",
        "--security-opt bogus#125#unknown --security-opt 'bogus'",
        "--security-opt seccomp=@TMP/none.json#125#seccomp profile",
        "--security-opt no-new-privileges=maybe#125#invalid --security-opt 'no-new-privileges=maybe'",
        "--hostname -bad#125#invalid --hostname '-bad'",
        "--name bad/name#125#invalid container name 'bad/name'",
        "-e =x#125#invalid environment variable '=x'",
        "--env-file @TMP/missing.env#125#cannot read --env-file '@TMP/missing.env'",
        "--sysctl net.core.no_such_knob=1#125#set sysctl net.core.no_such_knob",
        "--device /nonexistent/dev#125#--device /nonexistent/dev: no such device on this host",
        "--device /etc/passwd#125#--device /etc/passwd: not a device",
        "--device /dev/fuse:rel#125#invalid --device '/dev/fuse:rel': it needs an absolute container path",
        "--device /dev/fuse:/dev/f:rwx#125#invalid --device '/dev/fuse:/dev/f:rwx': it has permissions 'rwx'",
        "--device-cgroup-rule bogus#125#invalid --device-cgroup-rule 'bogus'",
        "-p 0:80#125#invalid --publish '0:80': '0' is not a port (1-65535)",
        "-p 80/sctp#125#invalid --publish '80/sctp': the protocol must be tcp or udp",
        "-p 8000-8001:80#125#invalid --publish '8000-8001:80': port ranges are not supported",
        "--network none -p 80#125#--publish needs a bridge network; --network none has none to publish from",
        "--network host -p 80#125#--publish needs a bridge network; --network host has none to publish from",
        "--network-alias db#125#--network-alias needs a bridge network",
        "--network bridge --network-alias -db#125#invalid --network-alias '-db'",
        "--dns nameserver.example#125#invalid --dns 'nameserver.example'",
        "--dns-search bad..#125#invalid --dns-search 'bad..'",
        "--dns-option ndots=2#125#invalid --dns-option 'ndots=2'",
        "--add-host nocolon#125#invalid --add-host 'nocolon'",
        "--add-host db:not-an-ip#125#invalid --add-host 'db:not-an-ip'",
        "--add-host gw:host-gateway#125#--add-host ...:host-gateway needs a bridge network",
    })
    void badInputGetsOneLineTheRightCodeAndLeavesNothing(String options, int code, String message) throws Exception {
        List<String> argv = new ArrayList<>(List.of("run", "--name", "bad"));
        for (String o : options.split(" ")) {
            argv.add(o.replace("@TMP", tmp.toString()));
        }
        argv.addAll(List.of("--rootfs", rootfs.toString(), "/probe"));
        for (boolean rm : new boolean[] {true, false}) {
            List<String> a = new ArrayList<>(argv);
            if (rm) {
                a.add(1, "--rm");
            }
            Pelagos.Result r = pelagos.run(a);
            assertThat(r.code()).as("exit code of %s; stderr: %s", a, r.err()).isEqualTo(code);
            Pelagos.assertOneErrorLine(r);
            assertThat(r.errLines().getFirst()).startsWith("pelagos: error: " + message.replace("@TMP", tmp.toString()));
            assertThat(r.out()).isEmpty();
            assertThat(pelagos.leftovers()).as("state left by %s", a).isEmpty();
            assertThat(Pelagos.hostMountsMentioning(tmp)).isEmpty();
        }
    }
}
