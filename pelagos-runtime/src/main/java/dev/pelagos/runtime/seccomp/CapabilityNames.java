package dev.pelagos.runtime.seccomp;

import java.util.List;
import java.util.Locale;

/** Linux capability numbers by name, for profile {@code caps} conditions against a capability mask. */
final class CapabilityNames {
    /** Index = capability number (linux/capability.h). */
    private static final List<String> NAMES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
            "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
            "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
            "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
            "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    private CapabilityNames() {
    }

    /** The number of {@code CAP_SYS_ADMIN} or {@code sys_admin}; -1 for a name this table lacks. */
    static int number(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        return NAMES.indexOf(upper.startsWith("CAP_") ? upper.substring(4) : upper);
    }

    /**
     * Whether the mask grants the named capability. A name we do not know is never granted, as Docker
     * treats a name missing from the bounding set.
     */
    static boolean granted(long mask, String name) {
        int n = number(name);
        return n >= 0 && n < Long.SIZE && (mask & (1L << n)) != 0;
    }
}
