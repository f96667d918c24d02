package dev.pelagos.image;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;

/** Any failure of the image library: a bad reference, a corrupt blob, a registry refusal. */
public class ImageException extends PelagosException {
    private static final long serialVersionUID = 1L;

    public ImageException(ErrorKind kind, String message, String hint) {
        super(kind, message, hint);
    }

    public ImageException(ErrorKind kind, String message, String hint, Throwable cause) {
        super(kind, message, hint, cause);
    }

    public static ImageException invalid(String message, String hint) {
        return new ImageException(ErrorKind.INVALID_INPUT, message, hint);
    }

    public static ImageException notFound(String message, String hint) {
        return new ImageException(ErrorKind.NOT_FOUND, message, hint);
    }

    /** Wraps an I/O failure with what was being done. */
    public static ImageException io(String doing, java.io.IOException cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ImageException(ErrorKind.INTERNAL, doing + ": " + why, null, cause);
    }
}
