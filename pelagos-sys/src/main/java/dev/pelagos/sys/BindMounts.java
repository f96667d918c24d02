package dev.pelagos.sys;

import java.io.IOException;
import java.nio.file.Path;

/** Bind mounts in this process's mount namespace, through the helper's JNI library. */
public final class BindMounts {
    private BindMounts() {
    }

    /** The call itself, once the JNI library is loaded: 0, or -errno. */
    public static native int bindOrErrno(String source, String target, boolean recursive);

    /** Detaches the mount at {@code path} (lazily, as {@code umount -l}): 0, or -errno. */
    public static native int detachOrErrno(String path);

    /** A recursive bind of {@code source} on {@code target}. */
    public static void bind(Path jniLibrary, Path source, Path target) throws IOException {
        JniLibrary.load(jniLibrary);
        int rc = bindOrErrno(source.toString(), target.toString(), true);
        if (rc < 0) {
            throw new IOException("bind mount " + source + " on " + target + ": errno " + -rc);
        }
    }

    public static void detach(Path jniLibrary, Path path) throws IOException {
        JniLibrary.load(jniLibrary);
        int rc = detachOrErrno(path.toString());
        if (rc < 0) {
            throw new IOException("unmount " + path + ": errno " + -rc);
        }
    }
}
