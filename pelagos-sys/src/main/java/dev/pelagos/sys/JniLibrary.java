package dev.pelagos.sys;

import java.nio.file.Path;

/** Loads the helper's JNI library ({@code lib/libpelagos-jni.so}) once, for every class that calls into it. */
final class JniLibrary {
    private static boolean loaded;

    private JniLibrary() {
    }

    /** @throws UnsatisfiedLinkError when the library cannot be loaded */
    @SuppressWarnings("restricted")
    static synchronized void load(Path library) {
        if (!loaded) {
            System.load(library.toAbsolutePath().toString());
            loaded = true;
        }
    }
}
