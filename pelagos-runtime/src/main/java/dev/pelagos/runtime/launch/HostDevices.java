package dev.pelagos.runtime.launch;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.spec.DeviceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The host devices a container asked for ({@code --device}), looked up on the host: each becomes a
 * node in the container's /dev with the host node's numbers, mode and owner (as Docker makes them),
 * and a device rule with the asked permissions. A directory gives every device under it, at the
 * same place under the container path.
 */
public final class HostDevices {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;

    /** One device to give: where it goes, and what the container may do with it. */
    public record HostDevice(DeviceNode node, String permissions) {
    }

    private HostDevices() {
    }

    public static List<HostDevice> resolve(List<DeviceRequest> requests) throws PelagosException {
        List<HostDevice> out = new ArrayList<>();
        for (DeviceRequest r : requests) {
            Path host = Path.of(r.hostPath());
            Map<String, Object> a = attributes(host, r);
            int type = (Integer) a.get("mode") & S_IFMT;
            if (type == S_IFDIR) {
                int before = out.size();
                try (Stream<Path> all = Files.walk(host)) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        Map<String, Object> pa = attributes(p, r);
                        int t = (Integer) pa.get("mode") & S_IFMT;
                        if (t == S_IFCHR || t == S_IFBLK) {
                            String inside = r.containerPath() + "/" + host.relativize(p);
                            out.add(new HostDevice(node(inside, pa), r.permissions()));
                        }
                    }
                } catch (IOException e) {
                    throw PelagosException.io("list the devices under " + host + " (--device " + r.hostPath() + ")", e);
                }
                if (out.size() == before) {
                    throw PelagosException.invalid("--device " + r.hostPath() + ": the directory holds no device",
                            "give a character or block device, or a directory of them");
                }
            } else if (type == S_IFCHR || type == S_IFBLK) {
                out.add(new HostDevice(node(r.containerPath(), a), r.permissions()));
            } else {
                throw PelagosException.invalid("--device " + r.hostPath() + ": not a device",
                        "give a character or block device such as /dev/fuse, or a directory of them");
            }
        }
        return out;
    }

    private static Map<String, Object> attributes(Path p, DeviceRequest r) throws PelagosException {
        try {
            return Files.readAttributes(p, "unix:mode,rdev,uid,gid"); // follows symlinks, as Docker does
        } catch (NoSuchFileException e) {
            throw PelagosException.notFound("--device " + r.hostPath() + ": no such device on this host",
                    "check the path (ls -l " + r.hostPath() + ")");
        } catch (IOException | UnsupportedOperationException e) {
            throw PelagosException.invalid("--device " + r.hostPath() + ": cannot read " + p + ": " + e.getMessage(), null);
        }
    }

    private static DeviceNode node(String path, Map<String, Object> a) {
        int mode = (Integer) a.get("mode");
        long rdev = (Long) a.get("rdev");
        // Linux's dev_t: major in bits 8-19 and 32-43, minor in bits 0-7 and 12-31
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        return new DeviceNode(path, (mode & S_IFMT) == S_IFBLK ? 'b' : 'c', major, minor, mode & 07777, (Integer) a.get("uid"),
                (Integer) a.get("gid"));
    }
}
