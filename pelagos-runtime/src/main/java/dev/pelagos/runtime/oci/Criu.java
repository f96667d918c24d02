package dev.pelagos.runtime.oci;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CRIU binary, run once for a checkpoint or a restore. CRIU writes what went wrong to its log
 * file, not to its exit status: a failure's message quotes the log's last error lines.
 */
final class Criu {
    /** Joins the cgroup.procs files given before {@code --}, then execs the rest: restored tasks are born in them. */
    private static final String JOIN_AND_EXEC = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; "
            + "shift; exec \"$@\"";

    private final String binary;

    Criu(String binary) {
        this.binary = binary == null || binary.isEmpty() ? "criu" : binary;
    }

    /**
     * Runs {@code criu ARGS} with this process's stdio (a restore hands it on to the restored
     * tasks), first placed in {@code cgroupProcs} when there are any.
     *
     * @param log CRIU's log file (it is told where with {@code --log-file})
     * @param what the action, for messages ("checkpoint container x")
     */
    void run(List<String> args, List<String> cgroupProcs, Path log, String what) throws PelagosException {
        List<String> cmd = new ArrayList<>();
        if (!cgroupProcs.isEmpty()) {
            cmd.addAll(List.of("/bin/sh", "-c", JOIN_AND_EXEC, "criu-in-cgroup"));
            cmd.addAll(cgroupProcs);
            cmd.add("--");
        }
        cmd.add(binary);
        cmd.addAll(args);
        dev.pelagos.base.DebugLog.log(Criu.class, "{0}: {1}", what, String.join(" ", cmd));
        int rc;
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            rc = p.waitFor();
        } catch (IOException e) {
            throw new PelagosException(ErrorKind.UNSUPPORTED, what + ": cannot run CRIU ('" + binary + "'): " + e.getMessage(),
                    "install CRIU (apt-get install criu) or name its binary with the global --criu PATH");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PelagosException.conflict(what + " was interrupted", null);
        }
        if (rc != 0) {
            String errors = lastErrors(log);
            throw new PelagosException(ErrorKind.EXTERNAL, what + ": CRIU failed (exit " + rc + ")"
                    + (errors.isEmpty() ? "" : ": " + errors), "CRIU's log: " + log);
        }
    }

    /** The last three "Error (...)" lines of CRIU's log, without their time stamps; empty when none. */
    static String lastErrors(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            return "";
        }
        List<String> errors = new ArrayList<>();
        for (String l : lines) {
            int at = l.indexOf("Error (");
            if (at >= 0) {
                errors.add(l.substring(at).strip());
            }
        }
        return String.join("; ", errors.subList(Math.max(0, errors.size() - 3), errors.size()));
    }
}
