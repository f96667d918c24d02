package dev.pelagos.runtime.oci;

import java.util.Locale;

/** The runtime-spec's container states. */
public enum OciStatus {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    /** As the state JSON spells it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
