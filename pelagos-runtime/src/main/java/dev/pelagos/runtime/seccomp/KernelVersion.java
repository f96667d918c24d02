package dev.pelagos.runtime.seccomp;

/** A kernel release's numeric part, compared for a profile's {@code minKernel}. */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {
    public KernelVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("kernel version parts must not be negative");
        }
    }

    /**
     * Parses {@code 6.18.44-fc-v595}, {@code 4.8} or {@code 5.10.0}: two or three numbers, the third
     * possibly followed by a suffix that is ignored.
     */
    public static KernelVersion parse(String text) {
        String[] parts = text.strip().split("\\.", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("kernel version \"" + text + "\" is not MAJOR.MINOR[.PATCH]");
        }
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(leadingDigits(parts[1], text, parts.length == 2));
            int patch = parts.length == 3 ? Integer.parseInt(leadingDigits(parts[2], text, true)) : 0;
            return new KernelVersion(major, minor, patch);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel version \"" + text + "\" is not MAJOR.MINOR[.PATCH]", e);
        }
    }

    private static String leadingDigits(String part, String whole, boolean suffixAllowed) {
        int end = 0;
        while (end < part.length() && Character.isDigit(part.charAt(end))) {
            end++;
        }
        if (end == 0 || (end < part.length() && !suffixAllowed)) {
            throw new NumberFormatException("bad kernel version " + whole);
        }
        return part.substring(0, end);
    }

    @Override
    public int compareTo(KernelVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
