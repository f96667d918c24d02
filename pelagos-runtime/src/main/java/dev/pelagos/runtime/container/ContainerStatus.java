package dev.pelagos.runtime.container;

/**
 * The life of a container, and what each operation may do in each state (the state machine on
 * one screen, after youki's {@code container/state.rs}).
 */
public enum ContainerStatus {
    /** Created, process not started yet (OCI create, or a start in progress). */
    CREATED,
    RUNNING,
    PAUSED,
    EXITED,
    /** Its monitor or process vanished without recording an exit (killed, crashed). */
    DEAD;

    public boolean canStart() {
        return this == CREATED || this == EXITED || this == DEAD;
    }

    public boolean canKill() {
        return this == RUNNING || this == PAUSED;
    }

    public boolean canExec() {
        return this == RUNNING;
    }

    /** Without --force, only a container that is not running can be removed. */
    public boolean canRemove() {
        return this == EXITED || this == DEAD || this == CREATED;
    }

    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
