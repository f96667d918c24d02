package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.util.regex.Pattern;

/** Volume names as Docker allows them: {@code [A-Za-z0-9][A-Za-z0-9_.-]*}. */
public final class VolumeName {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private VolumeName() {
    }

    public static String check(String name) throws PelagosException {
        if (!VALID.matcher(name).matches()) {
            throw PelagosException.invalid("invalid volume name '" + name + "'",
                    "use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return name;
    }
}
