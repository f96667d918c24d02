package dev.pelagos.sys.seccomp;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;

/** libseccomp is missing or refused a filter. */
public class SeccompException extends PelagosException {
    private static final long serialVersionUID = 1L;

    public SeccompException(ErrorKind kind, String message, String hint) {
        super(kind, message, hint);
    }

    public SeccompException(ErrorKind kind, String message, String hint, Throwable cause) {
        super(kind, message, hint, cause);
    }
}
