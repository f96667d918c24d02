package dev.pelagos.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The file operations the JDK lacks and layer extraction needs: {@code mknod} (device nodes,
 * FIFOs, overlay whiteouts) and {@code lsetxattr} for namespaces other than {@code user.}
 * ({@code trusted.overlay.opaque}, {@code security.capability}), and {@code chmod} of a FIFO or device
 * (the JDK opens the file to change its mode, which blocks on a FIFO). Loaded only when a layer needs one,
 * so ordinary pulls and {@code run} never link native code.
 *
 * <p>Used by layer extraction (pelagos-image); FFM stays in this module (DECISIONS §B).
 */
@SuppressWarnings("restricted")
public final class FileOps {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MKNOD = handle("mknod",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle LSETXATTR = handle("lsetxattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CHMOD = handle("chmod",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int EPERM = 1;

    private FileOps() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, Linker.Option.captureCallState("errno"));
    }

    /** Linux's makedev: the split major/minor encoding of dev_t. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    public static void mknod(Path path, int mode, long major, long minor) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode, makedev(major, minor));
            if (rc != 0) {
                throw new NativeIOException("mknod", path, (int) ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** chmod without opening the file (the JDK opens it, which blocks on a FIFO). */
    public static void chmod(Path path, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) CHMOD.invokeExact(state, arena.allocateFrom(path.toString()), mode);
            if (rc != 0) {
                throw new NativeIOException("chmod", path, (int) ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.invokeExact(state, arena.allocateFrom(path.toString()), arena.allocateFrom(name), v,
                    (long) value.length, 0);
            if (rc != 0) {
                throw new NativeIOException("lsetxattr " + name, path, (int) ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A failed system call with its errno. */
    public static final class NativeIOException extends IOException {
        private static final long serialVersionUID = 1L;
        public final int errno;

        NativeIOException(String call, Path path, int errno) {
            super(call + " " + path + ": " + describe(errno));
            this.errno = errno;
        }

        private static String describe(int errno) {
            return switch (errno) {
                case 1 -> "Operation not permitted";
                case 2 -> "No such file or directory";
                case 13 -> "Permission denied";
                case 17 -> "File exists";
                case 61 -> "No data available";
                case 95 -> "Operation not supported";
                default -> "errno " + errno;
            };
        }
    }
}
