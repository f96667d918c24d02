package dev.pelagos.runtime.seccomp;

import dev.pelagos.base.ErrorKind;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code --security-opt seccomp=VALUE}: {@code unconfined}, {@code builtin} (the default), or the
 * path of a Docker/OCI JSON profile. The file must exist now; its content is checked when the filter
 * is compiled.
 */
public final class SeccompOption {
    private static final String PREFIX = "seccomp=";
    /** Docker still accepts the old {@code seccomp:VALUE} spelling. */
    private static final String OLD_PREFIX = "seccomp:";

    private SeccompOption() {
    }

    /** The choice a whole {@code --security-opt} value makes, or empty when it is about something else. */
    public static Optional<SeccompChoice> fromSecurityOpt(String securityOpt) throws SeccompProfileException {
        if (securityOpt.startsWith(PREFIX)) {
            return Optional.of(parse(securityOpt.substring(PREFIX.length())));
        }
        if (securityOpt.startsWith(OLD_PREFIX)) {
            return Optional.of(parse(securityOpt.substring(OLD_PREFIX.length())));
        }
        return Optional.empty();
    }

    /** Parses the part after {@code seccomp=}. */
    public static SeccompChoice parse(String value) throws SeccompProfileException {
        if (value.isEmpty()) {
            throw new SeccompProfileException(ErrorKind.INVALID_INPUT, "--security-opt seccomp= needs a value",
                    "use seccomp=unconfined or seccomp=PROFILE.json");
        }
        if (value.equals("unconfined")) {
            return SeccompChoice.UNCONFINED;
        }
        if (value.equals("builtin")) {
            return SeccompChoice.DEFAULT;
        }
        Path path;
        try {
            path = Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new SeccompProfileException(ErrorKind.INVALID_INPUT, "seccomp profile path " + value + " is not valid: "
                    + e.getReason(), "use seccomp=unconfined or seccomp=PROFILE.json");
        }
        if (!Files.exists(path)) {
            throw new SeccompProfileException(ErrorKind.NOT_FOUND, "seccomp profile " + value + " does not exist",
                    "give the path of a Docker/OCI seccomp JSON file, or seccomp=unconfined");
        }
        if (!Files.isRegularFile(path)) {
            throw new SeccompProfileException(ErrorKind.INVALID_INPUT, "seccomp profile " + value + " is not a file",
                    "give the path of a Docker/OCI seccomp JSON file, or seccomp=unconfined");
        }
        return SeccompChoice.file(path);
    }
}
