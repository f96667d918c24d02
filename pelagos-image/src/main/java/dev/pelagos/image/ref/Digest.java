package dev.pelagos.image.ref;

import dev.pelagos.image.ImageException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest {@code algorithm:hex}. Validated before any use, because digests from a
 * registry or an archive become file names and URLs (CVE-2024-3727): sha256 needs exactly 64
 * lower-case hex digits, sha512 128.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("invalid digest " + algorithm + ":" + hex);
        }
    }

    /** Parses {@code sha256:<64 hex>}; anything else is an {@link ImageException}. */
    public static Digest parse(String text) throws ImageException {
        if (text == null) {
            throw ImageException.invalid("missing digest", null);
        }
        int colon = text.indexOf(':');
        if (colon > 0) {
            String algorithm = text.substring(0, colon);
            String hex = text.substring(colon + 1);
            if ((algorithm.equals("sha256") && SHA256.matcher(hex).matches())
                    || (algorithm.equals("sha512") && SHA512.matcher(hex).matches())) {
                return new Digest(algorithm, hex);
            }
        }
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        throw ImageException.invalid("invalid digest '" + shown + "'",
                "a digest is sha256: followed by 64 lower-case hex digits");
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (ImageException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
    }

    public static Digest ofSha256(MessageDigest finished) {
        return new Digest("sha256", HexFormat.of().formatHex(finished.digest()));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newHasher() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /** The first 12 hex digits, as image tables show them. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
