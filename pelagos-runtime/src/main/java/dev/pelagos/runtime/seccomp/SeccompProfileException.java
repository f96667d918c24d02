package dev.pelagos.runtime.seccomp;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;

/** A seccomp profile that cannot be read or does not make sense. */
public class SeccompProfileException extends PelagosException {
    private static final long serialVersionUID = 1L;

    public SeccompProfileException(ErrorKind kind, String message, String hint) {
        super(kind, message, hint);
    }

    public SeccompProfileException(ErrorKind kind, String message, String hint, Throwable cause) {
        super(kind, message, hint, cause);
    }

    static SeccompProfileException badProfile(String source, String problem) {
        return new SeccompProfileException(ErrorKind.INVALID_INPUT, "seccomp profile " + source + ": " + problem,
                "fix the profile (Docker/OCI seccomp JSON format), or use --security-opt seccomp=unconfined");
    }
}
