package dev.pelagos.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or token) for one registry. {@code toString} never shows the secret. */
public record Credentials(String username, String password) {
    public Credentials {
        if (username == null || password == null) {
            throw new IllegalArgumentException("credentials need a user name and a password");
        }
    }

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ****]";
    }
}
