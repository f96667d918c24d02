package dev.pelagos.runtime.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A container ID: 64 lowercase hex characters, like Docker's. */
public record ContainerId(String value) {
    private static final Pattern VALID = Pattern.compile("[0-9a-f]{64}");

    public ContainerId {
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("not a container id: " + value);
        }
    }

    /**
     * A fresh random id. Read straight from /dev/urandom: initialising SecureRandom loads the JCA
     * providers, tens of milliseconds on every container start.
     */
    public static ContainerId random() {
        byte[] b = new byte[32];
        try (java.io.FileInputStream in = new java.io.FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, b.length) != b.length) {
                throw new java.io.IOException("short read");
            }
        } catch (java.io.IOException e) {
            new SecureRandom().nextBytes(b);
        }
        return new ContainerId(HexFormat.of().formatHex(b));
    }

    public static boolean isValid(String s) {
        return VALID.matcher(s).matches();
    }

    /** The 12-character form shown in tables and used as the default hostname. */
    public String shortId() {
        return value.substring(0, 12);
    }

    @Override
    public String toString() {
        return value;
    }
}
