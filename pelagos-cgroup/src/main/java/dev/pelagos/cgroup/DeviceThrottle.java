package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** One block-device I/O throttle: {@code --device-read-bps /dev/sda:1mb} as major:minor and a rate. */
public record DeviceThrottle(Kind kind, int major, int minor, long rate) {
    /** What is throttled, with the Docker flag, the v1 file and the v2 io.max key. */
    public enum Kind {
        READ_BPS("device-read-bps", "blkio.throttle.read_bps_device", "rbps"),
        WRITE_BPS("device-write-bps", "blkio.throttle.write_bps_device", "wbps"),
        READ_IOPS("device-read-iops", "blkio.throttle.read_iops_device", "riops"),
        WRITE_IOPS("device-write-iops", "blkio.throttle.write_iops_device", "wiops");

        private final String flag;
        private final String v1File;
        private final String v2Key;

        Kind(String flag, String v1File, String v2Key) {
            this.flag = flag;
            this.v1File = v1File;
            this.v2Key = v2Key;
        }

        /** The CLI flag without dashes, e.g. "device-read-bps". */
        public String flag() {
            return flag;
        }

        String v1File() {
            return v1File;
        }

        String v2Key() {
            return v2Key;
        }

        boolean isBytes() {
            return this == READ_BPS || this == WRITE_BPS;
        }
    }

    public DeviceThrottle {
        Objects.requireNonNull(kind, "kind");
        if (major < 0 || minor < 0 || rate <= 0) {
            throw new IllegalArgumentException("device throttle needs a device number and a positive rate");
        }
    }

    /** "major:minor", as cgroup files spell a device. */
    public String device() {
        return major + ":" + minor;
    }

    /**
     * Parses Docker's {@code PATH:RATE}: the path must name a block device (its major:minor is
     * read with stat); RATE is a size (bps) or a count (iops), greater than zero.
     */
    public static DeviceThrottle parse(Kind kind, String text) throws PelagosException {
        int colon = text.lastIndexOf(':');
        String hint = "use DEVICE:RATE, e.g. --" + kind.flag + " /dev/sda:" + (kind.isBytes() ? "1mb" : "1000");
        if (colon <= 0 || colon == text.length() - 1) {
            throw PelagosException.invalid("invalid " + kind.flag + " '" + text + "': expected DEVICE:RATE", hint);
        }
        String device = text.substring(0, colon);
        String rateText = text.substring(colon + 1);
        long rate;
        if (kind.isBytes()) {
            rate = Sizes.parse(kind.flag + " rate", rateText);
        } else {
            try {
                rate = Long.parseLong(rateText.strip());
            } catch (NumberFormatException e) {
                throw PelagosException.invalid("invalid " + kind.flag + " rate '" + rateText + "': not a whole number", hint);
            }
        }
        if (rate <= 0) {
            throw PelagosException.invalid("invalid " + kind.flag + " rate '" + rateText + "': it must be above zero", hint);
        }
        long rdev = blockDeviceNumber(kind, device);
        return new DeviceThrottle(kind, major(rdev), minor(rdev), rate);
    }

    private static long blockDeviceNumber(Kind kind, String device) throws PelagosException {
        Path path = Path.of(device);
        if (!path.isAbsolute()) {
            throw PelagosException.invalid("invalid " + kind.flag + " device '" + device + "': not an absolute path",
                    "name the block device, e.g. /dev/sda");
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            if ((mode & 0170000) != 0060000) {
                throw PelagosException.invalid("invalid " + kind.flag + " device '" + device + "': not a block device",
                        "name a block device such as /dev/sda (see lsblk)");
            }
            return (Long) Files.getAttribute(path, "unix:rdev");
        } catch (NoSuchFileException e) {
            throw PelagosException.notFound(kind.flag + " device '" + device + "' does not exist",
                    "name an existing block device (see lsblk)");
        } catch (IOException e) {
            throw PelagosException.io("cannot stat " + kind.flag + " device " + device, e);
        }
    }

    /** glibc's gnu_dev_major: 12 bits at 8..19 plus the high bits above 32. */
    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }
}
