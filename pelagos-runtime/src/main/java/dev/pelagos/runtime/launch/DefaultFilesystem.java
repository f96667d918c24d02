package dev.pelagos.runtime.launch;

import static dev.pelagos.runtime.launch.Linux.MS_NODEV;
import static dev.pelagos.runtime.launch.Linux.MS_NOEXEC;
import static dev.pelagos.runtime.launch.Linux.MS_NOSUID;
import static dev.pelagos.runtime.launch.Linux.MS_RDONLY;
import static dev.pelagos.runtime.launch.Linux.MS_STRICTATIME;

import java.util.ArrayList;
import java.util.List;

/**
 * The filesystem every container gets (Docker's defaults, SECURITY.md §1.3–1.5): a fresh /proc,
 * /dev as a small tmpfs with the standard nodes, devpts, shm, mqueue, /sys read-only, and the
 * masked and read-only kernel paths.
 */
public final class DefaultFilesystem {
    private DefaultFilesystem() {
    }

    /** Docker's masked paths (DECISIONS §A1). */
    public static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
            "/sys/devices/virtual/powercap", "/sys/firmware");

    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** The kernel filesystems, in mount order; /sys is read-only unless privileged. */
    public static List<MountEntry> kernelMounts(boolean privileged) {
        List<MountEntry> m = new ArrayList<>();
        m.add(MountEntry.kernel("proc", "/proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, ""));
        m.add(MountEntry.kernel("tmpfs", "/dev", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"));
        m.add(MountEntry.kernel("devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5"));
        m.add(MountEntry.kernel("tmpfs", "/dev/shm", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k"));
        m.add(MountEntry.kernel("mqueue", "/dev/mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, ""));
        m.add(MountEntry.kernel("sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC | (privileged ? 0 : MS_RDONLY), ""));
        return m;
    }

    /** The device nodes the OCI runtime spec requires. */
    public static List<DeviceNode> devices() {
        return List.of(DeviceNode.chr("/dev/null", 1, 3), DeviceNode.chr("/dev/zero", 1, 5), DeviceNode.chr("/dev/full", 1, 7),
                DeviceNode.chr("/dev/random", 1, 8), DeviceNode.chr("/dev/urandom", 1, 9), DeviceNode.chr("/dev/tty", 5, 0));
    }

    /** {target, link path} pairs. */
    public static List<String[]> symlinks() {
        return List.of(new String[] {"/proc/self/fd", "/dev/fd"}, new String[] {"/proc/self/fd/0", "/dev/stdin"},
                new String[] {"/proc/self/fd/1", "/dev/stdout"}, new String[] {"/proc/self/fd/2", "/dev/stderr"},
                new String[] {"pts/ptmx", "/dev/ptmx"});
    }
}
