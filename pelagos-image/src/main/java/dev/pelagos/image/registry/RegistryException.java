package dev.pelagos.image.registry;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.ImageException;

/** A registry refused or failed a request; the message says what was being tried and why it failed. */
public class RegistryException extends ImageException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public RegistryException(ErrorKind kind, String message, String hint, int status, Throwable cause) {
        super(kind, message, hint, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when the registry could not be reached. */
    public int status() {
        return status;
    }

    /** Credentials missing, wrong, or insufficient for the repository. */
    public static final class UnauthorizedException extends RegistryException {
        private static final long serialVersionUID = 1L;

        public UnauthorizedException(String message, String hint, int status) {
            super(ErrorKind.PERMISSION, message, hint, status, null);
        }
    }
}
