package dev.pelagos.runtime.seccomp;

import dev.pelagos.base.ErrorKind;
import java.io.IOException;
import java.io.InputStream;

/**
 * The profile shipped in this jar ({@code default.json}): Docker's default-profile semantics.
 * Its cache identity is a constant so a cache hit need not read the resource; a unit test holds
 * the constant to the resource's hash, so editing the JSON without changing it fails the build.
 */
final class BuiltinProfile {
    static final String RESOURCE = "default.json";
    /** {@code builtin-} + the first 16 hex digits of the SHA-256 of {@link #RESOURCE}. */
    static final String IDENTITY = "builtin-03f4be9b131d6353";
    static final String SOURCE = "(built-in default)";

    private BuiltinProfile() {
    }

    static byte[] bytes() throws SeccompProfileException {
        try (InputStream in = BuiltinProfile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new SeccompProfileException(ErrorKind.INTERNAL, "the built-in seccomp profile is missing from the jar",
                        "reinstall pelagos");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SeccompProfileException(ErrorKind.INTERNAL, "cannot read the built-in seccomp profile: "
                    + e.getMessage(), "reinstall pelagos", e);
        }
    }
}
