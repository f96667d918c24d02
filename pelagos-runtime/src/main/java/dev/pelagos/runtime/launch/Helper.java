package dev.pelagos.runtime.launch;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.sys.NativeHandoff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The installed helper binary and the two ways to start it: become it (the CLI's hot path) or
 * spawn it as a child (library users, whose JVM must keep running).
 */
public final class Helper {
    private final Path binary;
    private final Path jniLibrary;
    private final boolean rehearsal;

    /** @param home the installation directory: {@code libexec/pelagos-helper}, {@code lib/libpelagos-jni.so} */
    public Helper(Path home) {
        this(home, false);
    }

    private Helper(Path home, boolean rehearsal) {
        this.binary = home.resolve("libexec/pelagos-helper");
        this.jniLibrary = home.resolve("lib/libpelagos-jni.so");
        this.rehearsal = rehearsal;
    }

    /**
     * A helper that is never started: {@link #become} fails with {@link #REHEARSAL} after the
     * spec is made, so the caller undoes what it prepared. The build's AOT training walks a whole
     * start with it (every class and call site a real start needs), leaving nothing behind.
     */
    public static Helper rehearsal(Path home) {
        return new Helper(home, true);
    }

    /** The message of the exception a rehearsal's {@link #become} throws. */
    public static final String REHEARSAL = "rehearsal: the helper was not started";

    public Path binary() {
        return binary;
    }

    public Path jniLibrary() {
        return jniLibrary;
    }

    /**
     * Replaces this JVM with the helper carrying out an already-encoded spec (e.g. the one stored
     * for restarting a container). Returns only by throwing.
     */
    public void become(byte[] spec) throws PelagosException {
        become(spec, 0);
    }

    /** As {@link #become(byte[])}, passing this process's fds 3..3+keepFds-1 on to the container. */
    public void become(byte[] spec, int keepFds) throws PelagosException {
        if (rehearsal) {
            throw new PelagosException(ErrorKind.INTERNAL, REHEARSAL, null);
        }
        String dump = System.getenv("PELAGOS_SPEC_OUT");
        if (dump != null) {
            // for benchmarks of the helper alone: write the spec instead of handing over
            try {
                Files.write(Path.of(dump), spec);
                System.exit(0);
            } catch (IOException e) {
                throw PelagosException.io("write the spec to " + dump, e);
            }
        }
        // the JNI side appends "--spec-fd N" once it has put the spec in a memfd
        int errno = NativeHandoff.exec(jniLibrary, binary, new String[] {"pelagos-helper", "run"}, spec, keepFds);
        throw new PelagosException(ErrorKind.INTERNAL, "cannot start the helper " + binary + " (errno " + errno + ")",
                "reinstall pelagos; the helper must be executable");
    }

    /**
     * Replaces this JVM with the helper, which carries out the plan and exits with the
     * container's code. Returns only by throwing.
     */
    public void become(LaunchPlan plan) throws PelagosException {
        become(SpecEncoder.encode(plan), plan.lifecycle().preserveFds());
    }

    /**
     * Starts the helper as a child process with the spec in a file (for library use and tests);
     * the child inherits this process's stdio.
     */
    public Process spawn(LaunchPlan plan, Path specFile) throws PelagosException {
        return spawn(plan, specFile, false);
    }

    /**
     * As {@link #spawn(LaunchPlan, Path)}; with {@code errorsToLog} the helper's own failures go
     * only to the plan's error log (which must be set), for a caller that reports them itself.
     */
    public Process spawn(LaunchPlan plan, Path specFile, boolean errorsToLog) throws PelagosException {
        if (errorsToLog && plan.lifecycle().log().file() == null) {
            throw new IllegalArgumentException("errors can go to the error log only when the plan has one");
        }
        try {
            Files.write(specFile, SpecEncoder.encode(plan));
            ProcessBuilder pb = errorsToLog
                    ? new ProcessBuilder(binary.toString(), "run", "--spec", specFile.toString(), "--errors-to-log")
                    : new ProcessBuilder(binary.toString(), "run", "--spec", specFile.toString());
            pb.inheritIO();
            return pb.start();
        } catch (IOException e) {
            throw PelagosException.io("start the helper " + binary, e);
        }
    }
}
