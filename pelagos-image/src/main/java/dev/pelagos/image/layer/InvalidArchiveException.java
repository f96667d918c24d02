package dev.pelagos.image.layer;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.ImageException;

/** A layer or archive entry that would escape its target or is malformed; extraction stops. */
public final class InvalidArchiveException extends ImageException {
    private static final long serialVersionUID = 1L;

    public InvalidArchiveException(String entry, String why) {
        super(ErrorKind.INVALID_INPUT, "invalid archive: entry '" + printable(entry) + "' " + why,
                "the image or archive is malformed or hostile; do not use it");
    }

    private static String printable(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
