package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reading and writing cgroup control files, turning the kernel's terse errno into a message that
 * names the file, the value and the limit the user asked for.
 */
final class CgroupFiles {
    private CgroupFiles() {
    }

    /**
     * Writes one value the way runc does (open O_WRONLY|O_TRUNC, one write). The file must exist:
     * a missing control file means the kernel lacks the feature, which is reported, never skipped.
     *
     * @param what the user-facing name of the limit, e.g. "memory limit 512MiB"
     */
    static void write(Path dir, String file, String value, String what) throws PelagosException {
        Path path = dir.resolve(file);
        try {
            Files.write(path, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new PelagosException(ErrorKind.UNSUPPORTED,
                    "cannot set " + what + ": the kernel has no " + file + " in " + dir,
                    "this host's cgroup setup does not support that limit; leave it out");
        } catch (AccessDeniedException e) {
            throw new PelagosException(ErrorKind.PERMISSION, "cannot set " + what + ": permission denied writing " + path,
                    "cgroup limits need root or a delegated cgroup subtree", e);
        } catch (IOException e) {
            String why = e.getMessage() == null ? "I/O error" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
            // EINVAL/ERANGE: a value out of the kernel's range; ENODEV: no such block device;
            // EBUSY: cannot apply now (e.g. usage already above the new memory limit)
            String hint = why.contains("invalid argument") || why.contains("numerical result out of range")
                    ? "the value is outside what this kernel accepts"
                    : why.contains("no such device") ? "name a whole block device (not a partition) that exists"
                    : why.contains("device or resource busy") ? "the container already uses more than that; try a larger value"
                    : null;
            throw new PelagosException(hint != null ? ErrorKind.INVALID_INPUT : ErrorKind.INTERNAL,
                    "cannot set " + what + ": the kernel refused '" + value + "' for " + path + " (" + why + ")", hint, e);
        }
    }

    static boolean exists(Path dir, String file) {
        return Files.exists(dir.resolve(file));
    }

    /** The file's content without the trailing newline. */
    static String read(Path dir, String file) throws PelagosException {
        Path path = dir.resolve(file);
        try {
            return Files.readString(path, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw PelagosException.io("cannot read " + path, e);
        }
    }

    /** The content, or null when the file is absent (a controller this cgroup is not in). */
    static String readIfExists(Path dir, String file) throws PelagosException {
        return exists(dir, file) ? read(dir, file) : null;
    }

    /** A single number; "max" (v2) and v1's near-2^63 "unlimited" both read as -1. */
    static long readLimit(Path dir, String file) throws PelagosException {
        String s = readIfExists(dir, file);
        if (s == null || s.isEmpty() || s.equals("max")) {
            return -1;
        }
        long v = parseLong(dir.resolve(file), s);
        return v >= V1_UNLIMITED_THRESHOLD ? -1 : v;
    }

    /** v1 reports "no limit" as the largest page-aligned long, 9223372036854771712. */
    static final long V1_UNLIMITED_THRESHOLD = Long.MAX_VALUE - (1L << 20);

    /** A counter, 0 when the file is absent. */
    static long readCounter(Path dir, String file) throws PelagosException {
        String s = readIfExists(dir, file);
        return s == null || s.isEmpty() ? 0 : parseLong(dir.resolve(file), s);
    }

    /** "key value" lines (cpu.stat, memory.stat, memory.events, memory.oom_control); absent file → empty. */
    static Map<String, Long> readKeyed(Path dir, String file) throws PelagosException {
        String s = readIfExists(dir, file);
        Map<String, Long> m = new LinkedHashMap<>();
        if (s == null) {
            return m;
        }
        for (String line : s.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                try {
                    m.put(kv[0], Long.parseLong(kv[1]));
                } catch (NumberFormatException e) {
                    // a value that is not a number (e.g. "max") is not a counter: leave it out
                }
            }
        }
        return m;
    }

    /** The pids listed in a cgroup.procs file; absent → empty. */
    static List<Long> readPids(Path procs) throws PelagosException {
        List<Long> pids = new ArrayList<>();
        if (!Files.exists(procs)) {
            return pids;
        }
        String s;
        try {
            s = Files.readString(procs, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return pids; // the cgroup went away meanwhile
        } catch (IOException e) {
            // a v1 cgroup removed between the check and the read answers ENODEV, at open
            // (FileSystemException) or at read (a plain IOException): gone as well
            String why = e instanceof java.nio.file.FileSystemException f ? f.getReason() : e.getMessage();
            if ("No such device".equals(why)) {
                return pids;
            }
            throw PelagosException.io("cannot read " + procs, e);
        }
        for (String line : s.split("\n")) {
            if (!line.isBlank()) {
                pids.add(parseLong(procs, line.trim()));
            }
        }
        return pids;
    }

    private static long parseLong(Path path, String s) throws PelagosException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new PelagosException(ErrorKind.INTERNAL, "unexpected content '" + s + "' in " + path);
        }
    }

    /** mkdir; false if it already existed. */
    static boolean mkdir(Path dir) throws PelagosException {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (AccessDeniedException e) {
            throw new PelagosException(ErrorKind.PERMISSION, "cannot create cgroup " + dir + ": permission denied",
                    "cgroups need root or a delegated cgroup subtree", e);
        } catch (IOException e) {
            throw PelagosException.io("cannot create cgroup " + dir, e);
        }
    }

    /**
     * rmdir; an already-gone directory is fine. A busy cgroup (EBUSY: processes still exiting)
     * is retried for a little while, because the kernel frees a cgroup a moment after its last task.
     */
    static void rmdir(Path dir) throws PelagosException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (true) {
            try {
                Files.delete(dir);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (DirectoryNotEmptyException e) {
                // a plain directory (tests' temp trees) with files left in it: cgroupfs never says this
                deleteTree(dir);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw PelagosException.io("cannot remove cgroup " + dir, e);
                }
                Poll.pause(20);
            }
        }
    }

    /**
     * Rollback of a failed create: one rmdir attempt, no waiting. A parent we made may meanwhile
     * hold another container's cgroup (a concurrent create), and then it stays; false if so.
     */
    static boolean rmdirIfUnused(Path dir) throws PelagosException {
        try {
            Files.delete(dir);
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (DirectoryNotEmptyException e) {
            if (descendants(dir).isEmpty()) {
                deleteTree(dir); // a plain directory in a test tree, with files we left
                return true;
            }
            return false;
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (why.contains("device or resource busy")) {
                return false;
            }
            throw PelagosException.io("cannot remove cgroup " + dir, e);
        }
    }

    /** Child cgroup directories below dir, deepest first (a container may make its own sub-cgroups). */
    static List<Path> descendants(Path dir) throws PelagosException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.filter(p -> !p.equals(dir) && Files.isDirectory(p)).toList());
            all.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
            return all;
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // the tree changed while we walked it: nothing reliable to report
        }
    }

    private static void deleteTree(Path dir) throws PelagosException {
        try {
            dev.pelagos.base.FileTrees.delete(dir);
        } catch (IOException e) {
            throw PelagosException.io("cannot remove " + dir, e);
        }
    }
}
