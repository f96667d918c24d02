package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs OCI hooks: each gets the container's state JSON on stdin, exactly its {@code env}, and is
 * killed when its {@code timeout} passes. The hook's {@code path} is what is executed; Java cannot
 * set argv[0] apart from the path, so {@code args[0]} is replaced by the path (multi-call binaries
 * such as busybox dispatch on the basename, which is kept).
 */
public final class HookRunner {
    private HookRunner() {
    }

    /** Runs every hook even when some fail; returns one warning per failure (poststart, poststop). */
    public static List<String> runAllWarning(String phase, List<OciConfig.Hook> hooks, String stateJson) {
        List<String> warnings = new ArrayList<>();
        if (hooks == null) {
            return warnings;
        }
        for (int i = 0; i < hooks.size(); i++) {
            try {
                run(phase, i, hooks.get(i), stateJson);
            } catch (PelagosException e) {
                warnings.add(e.getMessage());
            }
        }
        return warnings;
    }

    static void run(String phase, int index, OciConfig.Hook h, String stateJson) throws PelagosException {
        String what = "error running hook #" + index + " (" + phase + " " + h.path() + "):";
        List<String> cmd = new ArrayList<>();
        cmd.add(h.path());
        if (h.args() != null && h.args().size() > 1) {
            cmd.addAll(h.args().subList(1, h.args().size()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        for (String kv : h.env() == null ? List.<String>of() : h.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw PelagosException.invalid(what + " could not start it: " + e.getMessage(), "check the hook's path");
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(stateJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the hook need not read its stdin
        }
        try {
            if (h.timeout() != null) {
                if (!p.waitFor(h.timeout(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                    throw PelagosException.invalid(what + " timed out after " + h.timeout() + "s", "make the hook faster or raise its timeout");
                }
            } else {
                p.waitFor();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw PelagosException.invalid(what + " interrupted", null);
        }
        if (p.exitValue() != 0) {
            throw PelagosException.invalid(what + " it failed with exit code " + p.exitValue(), "see the hook's own output above");
        }
    }
}
