package dev.pelagos.cli.args;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;

/** A command line that does not parse: unknown flag, missing value, missing argument. Exit code 2. */
public final class UsageException extends PelagosException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message, String hint) {
        super(ErrorKind.INVALID_INPUT, message, hint);
    }
}
