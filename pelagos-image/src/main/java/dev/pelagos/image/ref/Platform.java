package dev.pelagos.image.ref;

import dev.pelagos.image.ImageException;

/** An OS/architecture pair with an optional variant, as in {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", "");

    public Platform {
        variant = variant == null ? "" : variant;
    }

    public static Platform parse(String text) throws ImageException {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw ImageException.invalid("invalid platform '" + text + "'", "use OS/ARCH[/VARIANT], e.g. linux/amd64");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
    }

    /** Whether an index entry's platform fits this request (an unspecified variant matches any). */
    public boolean accepts(String os, String architecture, String variant) {
        return this.os.equals(os) && this.architecture.equals(architecture)
                && (this.variant.isEmpty() || this.variant.equals(variant == null ? "" : variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
