package dev.pelagos.sys;

import java.nio.file.Path;

/** Loads the helper's JNI library ({@code lib/libpelagos-jni.so}) once, for every class that calls into it. */
public final class JniLibrary {
    private static boolean loaded;

    private JniLibrary() {
    }

    /**
     * The installation's library: {@code pelagos.jni} if set (tests of this module point it at the
     * native build), else {@code lib/libpelagos-jni.so} under {@code pelagos.home} (the launcher sets it).
     *
     * @throws UnsatisfiedLinkError when there is none, or it cannot be loaded
     */
    public static void loadInstalled() {
        String jni = System.getProperty("pelagos.jni");
        String home = System.getProperty("pelagos.home");
        if (jni == null && home == null) {
            throw new UnsatisfiedLinkError("neither pelagos.jni nor pelagos.home is set: start pelagos through bin/pelagos");
        }
        load(jni != null ? Path.of(jni) : Path.of(home, "lib/libpelagos-jni.so"));
    }

    /** @throws UnsatisfiedLinkError when the library cannot be loaded */
    @SuppressWarnings("restricted")
    public static synchronized void load(Path library) {
        if (!loaded) {
            System.load(library.toAbsolutePath().toString());
            loaded = true;
        }
    }
}
