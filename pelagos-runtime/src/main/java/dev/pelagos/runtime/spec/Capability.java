package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.util.Locale;

/** Linux capabilities; the ordinal is the kernel's capability number. */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    public long bit() {
        return 1L << ordinal();
    }

    /**
     * Parses a capability name the way users write it: case-insensitive, with or without the
     * {@code CAP_} prefix, {@code -} for {@code _}.
     */
    public static Capability parse(String name) throws PelagosException {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (n.startsWith("CAP_")) {
            n = n.substring(4);
        }
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw PelagosException.invalid("unknown capability '" + name + "'",
                    "use Linux capability names, e.g. NET_RAW, SYS_ADMIN, CHOWN");
        }
    }

    /** The 11 capabilities every container gets by default (DECISIONS §A1): CapEff 00000000800405fb. */
    public static final long DEFAULT_MASK = CHOWN.bit() | DAC_OVERRIDE.bit() | FOWNER.bit() | FSETID.bit() | KILL.bit()
            | SETGID.bit() | SETUID.bit() | SETPCAP.bit() | NET_BIND_SERVICE.bit() | SYS_CHROOT.bit() | SETFCAP.bit();

    /** "CAP_CHOWN,CAP_KILL" style list of a mask, for inspect output. */
    public static java.util.List<String> names(long mask) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Capability c : values()) {
            if ((mask & c.bit()) != 0) {
                out.add("CAP_" + c.name());
            }
        }
        return out;
    }
}
