package dev.pelagos.cli.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.cli.it.Pelagos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input to the lifecycle verbs — an unknown container, exec into a stopped one, rm of a running
 * one without -f, a name in use, an invalid signal, duration, count, filter or format — gets exactly
 * one clear {@code pelagos: error:} line (plus at most a hint) naming the culprit, a non-zero exit,
 * and changes nothing: the state and data directories are byte-for-byte the same and the running
 * container keeps running with the same PID. A failure means a typo can break or alter containers,
 * or leave the user guessing.
 */
class LifecycleBadInputIT {
    @TempDir
    static Path tmp;
    private static Pelagos pelagos;
    private static HostView host;
    private static long upPid;

    @BeforeAll
    static void setUp() throws Exception {
        pelagos = new Pelagos(tmp);
        host = new HostView(pelagos);
        String up = host.runDetached("--name", "up", "-v", "inuse:/data", "--rootfs", Pelagos.probeRootfsCopy(tmp).toString(), "/probe",
                "sleep", "120");
        upPid = host.pidFile(up).pid();
        String down = host.runDetached("--name", "down", "--rootfs", Pelagos.probeRootfs().toString(), "/probe", "exit", "0");
        assertThat(pelagos.run("wait", down).out()).isEqualTo("0\n");
    }

    @AfterAll
    static void nothingLeft() throws Exception {
        if (pelagos != null) {
            pelagos.removeState();
            pelagos.run("volume", "rm", "-f", "inuse");
            assertThat(pelagos.leftovers()).isEmpty();
        }
    }

    /**
     * @param argv    the command, words separated by spaces
     * @param message a fragment the error line must contain
     */
    @ParameterizedTest(name = "[{index}] pelagos {0}")
    @CsvSource(delimiter = '#', value = {
        "inspect nosuch#nosuch",
        "logs nosuch#nosuch",
        "stop nosuch#nosuch",
        "kill nosuch#nosuch",
        "rm nosuch#nosuch",
        "rm -f nosuch#nosuch",
        "start nosuch#nosuch",
        "restart nosuch#nosuch",
        "wait nosuch#nosuch",
        "exec nosuch true#nosuch",
        "container inspect nosuch#nosuch",
        "stats --no-stream nosuch#nosuch",
        "exec down true#not running",
        "kill down#not running",
        "rm up#running",
        "container rm up#running",
        "run -d --name up --rootfs @PROBE /probe#'up' is already in use",
        "run -d --name down --rootfs @PROBE /probe#'down' is already in use",
        "kill -s BOGUS up#BOGUS",
        "kill -s 0 up#'0'",
        "kill -s 99 up#99",
        "kill -s SIGNOPE up#SIGNOPE",
        "stop -t xyz up#xyz",
        "stop -t 1q up#1q",
        "restart -t abc up#abc",
        "logs --tail -3 up#-3",
        "logs --tail many up#many",
        "logs --since yesterday up#yesterday",
        "ps --filter bogus=1#bogus",
        "ps --filter noequals#noequals",
        "ps --format yaml#yaml",
        "volume rm inuse#inuse",
        "run -d --health-cmd true --health-interval 5q --rootfs @PROBE /probe#5q",
        "run -d --health-cmd true --health-retries x --rootfs @PROBE /probe#x",
        "run -d --health-cmd true --health-timeout -1s --rootfs @PROBE /probe#-1s",
    })
    void oneLineAndNothingChanged(String argv, String message) throws Exception {
        List<String> a = new ArrayList<>();
        for (String w : argv.split(" ")) {
            a.add(w.replace("@PROBE", Pelagos.probeRootfs().toString()));
        }
        String before = host.fingerprint();
        Pelagos.Result r = pelagos.run(a);
        assertThat(r.code()).as("exit code of pelagos %s; stderr: %s", argv, r.err()).isNotZero();
        Pelagos.assertOneErrorLine(r);
        assertThat(r.errLines().getFirst()).contains(message);
        // as Docker, inspect prints the (here empty) array of what it found
        assertThat(r.out()).as("stdout of a refused command").isEqualTo(argv.matches("(container )?inspect .*") ? "[]\n" : "");
        assertThat(host.fingerprint()).as("state after pelagos %s", argv).isEqualTo(before);
        assertThat(HostView.alive(upPid)).as("the running container still runs").isTrue();
        assertThat(host.pidFile(host.nameEntries().get("up")).pid()).isEqualTo(upPid);
    }

    /** Like Docker: inspect of a found and a missing container prints the found one, then the error, and fails. */
    @Test
    void inspectPrintsWhatItFoundBeforeTheError() {
        Pelagos.Result r = pelagos.run("inspect", "up", "nosuch");
        assertThat(r.code()).isNotZero();
        Pelagos.assertOneErrorLine(r);
        assertThat(r.errLines().getFirst()).contains("nosuch");
        assertThat(r.out()).as("the document of the container that exists").isNotBlank();
        com.google.gson.JsonArray docs = com.google.gson.JsonParser.parseString(r.out()).getAsJsonArray();
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).getAsJsonObject().get("Name").getAsString()).isEqualTo("/up");
    }

    /** Several containers at once: Docker reports each failure and still acts on the others. */
    @Test
    void aBadNameAmongGoodOnesFailsAloneAndLoudly() throws Exception {
        String extra = host.runDetached("--name", "extra", "--rootfs", Pelagos.probeRootfs().toString(), "/probe", "exit", "0");
        assertThat(pelagos.run("wait", extra).code()).isZero();
        Pelagos.Result r = pelagos.run("rm", "nosuch", "extra");
        assertThat(r.code()).isNotZero();
        Pelagos.assertOneErrorLine(r);
        assertThat(r.out()).isEqualTo("extra\n");
        assertThat(host.nameEntries()).doesNotContainKey("extra");
        host.assertGone(extra);
    }
}
