package dev.pelagos.cli;

import dev.pelagos.base.PelagosPaths;
import java.io.PrintStream;

/** What a verb may use from its surroundings: the output streams and the on-disk layout. */
public final class Cli {
    private final PrintStream out;
    private final PrintStream err;
    private PelagosPaths paths;
    private String criu;
    private String stateRoot;
    private String logFile;
    private String logFormat = "text";
    private boolean systemdCgroup;
    private boolean debug;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** With an explicit layout (tests, AOT training). */
    public Cli(PrintStream out, PrintStream err, PelagosPaths paths) {
        this(out, err);
        this.paths = paths;
    }

    /** Command output (tables, ids, JSON): stdout, so {@code $(pelagos ...)} works. */
    public PrintStream out() {
        return out;
    }

    /** Progress, warnings and errors. */
    public PrintStream err() {
        return err;
    }

    public PelagosPaths paths() {
        if (paths == null) {
            paths = PelagosPaths.detect();
        }
        return paths;
    }

    /** The installation directory (bin/, lib/, libexec/), set by the launcher. */
    public static java.nio.file.Path home() {
        String h = System.getProperty("pelagos.home");
        if (h == null) {
            throw new IllegalStateException("pelagos.home is not set; start pelagos through bin/pelagos");
        }
        return java.nio.file.Path.of(h).toAbsolutePath().normalize();
    }

    void setGlobals(String stateRoot, String logFile, String logFormat, boolean systemdCgroup, boolean debug, String criu) {
        this.criu = criu;
        this.stateRoot = stateRoot;
        this.logFile = logFile;
        this.logFormat = logFormat;
        this.systemdCgroup = systemdCgroup;
        this.debug = debug;
    }

    /** The global {@code --root} (OCI state directory), or null. */
    public String stateRoot() {
        return stateRoot;
    }

    /** The global {@code --log} file, or null. */
    public String logFile() {
        return logFile;
    }

    /** The global {@code --log-format}: text or json. */
    public String logFormat() {
        return logFormat;
    }

    public boolean systemdCgroup() {
        return systemdCgroup;
    }

    public boolean debug() {
        return debug;
    }

    /** The global {@code --criu} binary for checkpoint and restore, or null (criu on the PATH). */
    public String criu() {
        return criu;
    }
}
