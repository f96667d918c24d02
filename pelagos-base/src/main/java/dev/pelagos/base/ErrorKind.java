package dev.pelagos.base;

/** What sort of failure an error is; the CLI maps kinds to exit codes and callers branch on them. */
public enum ErrorKind {
    /** The user's input is wrong: a bad flag value, a malformed file. */
    INVALID_INPUT,
    /** The named thing (container, image, network, volume) does not exist. */
    NOT_FOUND,
    /** The thing exists but is in the wrong state for the operation, or the name is taken. */
    CONFLICT,
    /** The caller lacks a privilege the operation needs. */
    PERMISSION,
    /** The kernel or host lacks a feature the operation needs. */
    UNSUPPORTED,
    /** A registry, the network or another program failed. */
    EXTERNAL,
    /** A bug or an unexpected system failure. */
    INTERNAL
}
