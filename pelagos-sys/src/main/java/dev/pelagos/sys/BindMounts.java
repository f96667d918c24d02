package dev.pelagos.sys;

import java.io.IOException;
import java.nio.file.Path;

/** Recursive bind mounts in this process's mount namespace, through the helper's JNI library. */
public final class BindMounts {
    private BindMounts() {
    }

    private static native int nativeBind(String source, String target);

    private static native int nativeDetach(String path);

    public static void bind(Path jniLibrary, Path source, Path target) throws IOException {
        JniLibrary.load(jniLibrary);
        int rc = nativeBind(source.toString(), target.toString());
        if (rc < 0) {
            throw new IOException("bind mount " + source + " on " + target + ": errno " + -rc);
        }
    }

    /** Detaches the mount at {@code path} (lazily, as {@code umount -l}). */
    public static void detach(Path jniLibrary, Path path) throws IOException {
        JniLibrary.load(jniLibrary);
        int rc = nativeDetach(path.toString());
        if (rc < 0) {
            throw new IOException("unmount " + path + ": errno " + -rc);
        }
    }
}
