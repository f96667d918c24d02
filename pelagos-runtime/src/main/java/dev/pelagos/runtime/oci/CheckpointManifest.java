package dev.pelagos.runtime.oci;

import com.google.gson.Gson;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint keeps beside CRIU's images for the restore to re-attach: how CRIU names the
 * container's stdio (a pipe's {@code pipe:[INODE]}, an outside file's {@code file[MNT:INODE]}),
 * and the host sources of its outside mounts by their path in the container.
 */
record CheckpointManifest(List<String> stdio, Map<String, String> mounts) {
    static final String FILE = "pelagos-checkpoint.json";

    void write(Path imageDir) throws IOException {
        Files.writeString(imageDir.resolve(FILE), new Gson().toJson(this));
    }

    static CheckpointManifest read(Path imageDir) throws PelagosException {
        Path file = imageDir.resolve(FILE);
        try {
            CheckpointManifest m = new Gson().fromJson(Files.readString(file), CheckpointManifest.class);
            if (m == null || m.stdio() == null || m.mounts() == null) {
                throw new IllegalArgumentException("fields are missing");
            }
            return m;
        } catch (NoSuchFileException e) {
            throw PelagosException.notFound("no pelagos checkpoint in " + imageDir + " (" + FILE + " is missing)",
                    "pass the --image-path of a 'pelagos checkpoint'");
        } catch (IOException | RuntimeException e) {
            throw PelagosException.invalid("cannot read " + file + ": " + e.getMessage(), null);
        }
    }

    /** CRIU's names for fds 0, 1 and 2 of {@code pid}; "" for one that is closed or a socket (left to CRIU). */
    static List<String> stdioOf(int pid) throws IOException {
        List<String> out = new ArrayList<>();
        for (int fd = 0; fd < 3; fd++) {
            Path link = Path.of("/proc/" + pid + "/fd/" + fd);
            if (!Files.isSymbolicLink(link)) {
                out.add("");
                continue;
            }
            String target = Files.readSymbolicLink(link).toString();
            if (target.startsWith("pipe:")) {
                out.add(target);
            } else if (target.startsWith("socket:") || target.startsWith("anon_inode:")) {
                out.add("");
            } else {
                long ino = (Long) Files.getAttribute(link, "unix:ino");
                out.add("file[" + Long.toHexString(mountId(pid, fd)) + ":" + Long.toHexString(ino) + "]");
            }
        }
        return out;
    }

    private static long mountId(int pid, int fd) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/fdinfo/" + fd))) {
            if (l.startsWith("mnt_id:")) {
                return Long.parseLong(l.substring(7).strip());
            }
        }
        throw new IOException("no mnt_id in /proc/" + pid + "/fdinfo/" + fd);
    }
}
