package dev.pelagos.cgroup;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** cgroup v2 io controller: io.bfq.weight or io.weight, and io.max throttles per device. */
final class V2Io {
    private V2Io() {
    }

    static void apply(Path dir, Resources r) throws PelagosException {
        if (r.blkioWeight().isPresent()) {
            int weight = r.blkioWeight().getAsInt();
            if (CgroupFiles.exists(dir, "io.bfq.weight")) {
                // BFQ takes the same 1..1000 scale as blkio.weight
                CgroupFiles.write(dir, "io.bfq.weight", Integer.toString(weight), "blkio weight " + weight);
            } else if (CgroupFiles.exists(dir, "io.weight")) {
                CgroupFiles.write(dir, "io.weight", "default " + Resources.ioWeightFromBlkioWeight(weight),
                        "blkio weight " + weight);
            } else {
                throw new PelagosException(ErrorKind.UNSUPPORTED,
                        "cannot set blkio weight " + weight + ": the kernel has neither io.weight nor io.bfq.weight in " + dir,
                        "I/O weights need the BFQ scheduler or blk-iocost; leave out --blkio-weight");
            }
        }
        // io.max takes one line per device with every key for it
        Map<String, StringBuilder> lines = new LinkedHashMap<>();
        for (DeviceThrottle t : r.deviceThrottles()) {
            lines.computeIfAbsent(t.device(), d -> new StringBuilder(d))
                    .append(' ').append(t.kind().v2Key()).append('=').append(t.rate());
        }
        for (StringBuilder line : lines.values()) {
            CgroupFiles.write(dir, "io.max", line.toString(), "device I/O limit '" + line + "'");
        }
    }

    static void stats(Path dir, StatsReader s) throws PelagosException {
        String text = CgroupFiles.readIfExists(dir, "io.stat");
        if (text == null) {
            return;
        }
        for (String line : text.split("\n")) {
            for (String field : line.trim().split("\\s+")) {
                if (field.startsWith("rbytes=")) {
                    s.blockRead += Long.parseLong(field.substring(7));
                } else if (field.startsWith("wbytes=")) {
                    s.blockWrite += Long.parseLong(field.substring(7));
                }
            }
        }
    }
}
