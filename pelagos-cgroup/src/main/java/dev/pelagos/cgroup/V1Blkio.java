package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Path;

/** cgroup v1 blkio controller: blkio.weight (CFQ) or blkio.bfq.weight (BFQ), blkio.throttle.*. */
final class V1Blkio {
    private V1Blkio() {
    }

    static void apply(Path dir, Resources r) throws PelagosException {
        if (r.blkioWeight().isPresent()) {
            int weight = r.blkioWeight().getAsInt();
            String file = CgroupFiles.exists(dir, "blkio.weight") ? "blkio.weight"
                    : CgroupFiles.exists(dir, "blkio.bfq.weight") ? "blkio.bfq.weight" : null;
            if (file == null) {
                throw new PelagosException(ErrorKind.UNSUPPORTED,
                        "cannot set blkio weight " + weight + ": the kernel has neither blkio.weight nor blkio.bfq.weight in "
                                + dir, "weights need the BFQ (or CFQ) I/O scheduler; leave out --blkio-weight");
            }
            CgroupFiles.write(dir, file, Integer.toString(weight), "blkio weight " + weight);
        }
        for (DeviceThrottle t : r.deviceThrottles()) {
            if (!CgroupFiles.exists(dir, t.kind().v1File())) {
                throw new PelagosException(ErrorKind.UNSUPPORTED,
                        "cannot set " + t.kind().flag() + " for " + t.device() + ": the kernel has no " + t.kind().v1File()
                                + " in " + dir, "the kernel lacks block I/O throttling; leave out --" + t.kind().flag());
            }
            CgroupFiles.write(dir, t.kind().v1File(), t.device() + " " + t.rate(),
                    t.kind().flag() + " " + t.device() + " " + t.rate());
        }
    }

    static void stats(Path dir, StatsReader s) throws PelagosException {
        String file = CgroupFiles.exists(dir, "blkio.throttle.io_service_bytes_recursive")
                ? "blkio.throttle.io_service_bytes_recursive" : "blkio.throttle.io_service_bytes";
        String text = CgroupFiles.readIfExists(dir, file);
        if (text == null) {
            return;
        }
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                switch (f[1]) {
                    case "Read" -> s.blockRead += Long.parseLong(f[2]);
                    case "Write" -> s.blockWrite += Long.parseLong(f[2]);
                    default -> { }
                }
            }
        }
    }
}
