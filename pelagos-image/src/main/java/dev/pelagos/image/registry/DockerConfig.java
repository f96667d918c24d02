package dev.pelagos.image.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.image.ImageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials in Docker's {@code config.json} ({@code $DOCKER_CONFIG/config.json} or
 * {@code ~/.docker/config.json}): a per-registry helper in {@code credHelpers}, else the global
 * {@code credsStore}, else base64 {@code user:pass} in {@code auths}. Helpers are the
 * {@code docker-credential-<name>} programs speaking {@code get|store|erase} on stdin/stdout.
 */
public final class DockerConfig {
    private static final String HUB_KEY = "https://index.docker.io/v1/";
    private final Path file;

    public DockerConfig(Path file) {
        this.file = file;
    }

    public static DockerConfig standard() {
        String dir = System.getenv("DOCKER_CONFIG");
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerConfig(base.resolve("config.json"));
    }

    public Path file() {
        return file;
    }

    /** The key a registry is filed under: Docker Hub keeps its historical URL. */
    static String keyFor(String registry) {
        return registry.equals("docker.io") ? HUB_KEY : registry;
    }

    public Optional<Credentials> lookup(String registry) throws ImageException {
        JsonObject json = read();
        String key = keyFor(registry);
        String helper = helperFor(json, key);
        if (helper != null) {
            return helperGet(helper, key);
        }
        if (json.get("auths") instanceof JsonObject auths) {
            for (String candidate : List.of(key, "https://" + key, "http://" + key, registry)) {
                if (auths.get(candidate) instanceof JsonObject entry) {
                    Optional<Credentials> c = decode(entry, candidate);
                    if (c.isPresent()) {
                        return c;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Saves credentials (through the helper when one is configured). Returns where they went. */
    public String store(String registry, Credentials credentials) throws ImageException {
        JsonObject json = read();
        String key = keyFor(registry);
        String helper = helperFor(json, key);
        if (helper != null) {
            JsonObject in = new JsonObject();
            in.addProperty("ServerURL", key);
            in.addProperty("Username", credentials.username());
            in.addProperty("Secret", credentials.password());
            runHelper(helper, "store", in.toString());
            return "credential helper docker-credential-" + helper;
        }
        JsonObject auths = json.get("auths") instanceof JsonObject a ? a : new JsonObject();
        JsonObject entry = new JsonObject();
        entry.addProperty("auth", Base64.getEncoder().encodeToString(
                (credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8)));
        auths.add(key, entry);
        json.add("auths", auths);
        write(json);
        return file.toString();
    }

    /** Removes stored credentials; false when there were none. */
    public boolean erase(String registry) throws ImageException {
        JsonObject json = read();
        String key = keyFor(registry);
        String helper = helperFor(json, key);
        if (helper != null) {
            runHelper(helper, "erase", key);
            return true;
        }
        if (json.get("auths") instanceof JsonObject auths && auths.remove(key) != null) {
            write(json);
            return true;
        }
        return false;
    }

    private static String helperFor(JsonObject json, String key) {
        if (json.get("credHelpers") instanceof JsonObject helpers && helpers.get(key) instanceof JsonElement h
                && h.isJsonPrimitive()) {
            return h.getAsString();
        }
        if (json.get("credsStore") instanceof JsonElement s && s.isJsonPrimitive() && !s.getAsString().isEmpty()) {
            return s.getAsString();
        }
        return null;
    }

    private Optional<Credentials> decode(JsonObject entry, String key) throws ImageException {
        if (entry.get("auth") instanceof JsonElement a && a.isJsonPrimitive() && !a.getAsString().isEmpty()) {
            String plain;
            try {
                plain = new String(Base64.getDecoder().decode(a.getAsString().trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ImageException.invalid("invalid 'auth' for " + key + " in " + file, "run 'pelagos image login " + key + "' again");
            }
            int colon = plain.indexOf(':');
            if (colon < 0) {
                throw ImageException.invalid("invalid 'auth' for " + key + " in " + file, "run 'pelagos image login " + key + "' again");
            }
            return Optional.of(new Credentials(plain.substring(0, colon), plain.substring(colon + 1)));
        }
        if (entry.get("username") instanceof JsonElement u && entry.get("password") instanceof JsonElement p) {
            return Optional.of(new Credentials(u.getAsString(), p.getAsString()));
        }
        return Optional.empty();
    }

    private Optional<Credentials> helperGet(String helper, String key) throws ImageException {
        String out = runHelper(helper, "get", key);
        if (out == null) {
            return Optional.empty();
        }
        JsonObject o = JsonParser.parseString(out).getAsJsonObject();
        if (!(o.get("Username") instanceof JsonElement u) || !(o.get("Secret") instanceof JsonElement s)) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(u.getAsString(), s.getAsString()));
    }

    /** Runs a helper; returns its stdout, or null when it says the credentials are not found. */
    private static String runHelper(String helper, String verb, String input) throws ImageException {
        if (!helper.matches("[A-Za-z0-9._-]+")) {
            throw ImageException.invalid("invalid credential helper name '" + helper + "'", "fix credHelpers/credsStore in config.json");
        }
        String program = "docker-credential-" + helper;
        try {
            Process p = new ProcessBuilder(program, verb).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageException(ErrorKind.EXTERNAL, program + " " + verb + " timed out", null);
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                if (verb.equals("get") && text.contains("credentials not found")) {
                    return null;
                }
                throw new ImageException(ErrorKind.EXTERNAL, program + " " + verb + " failed: " + text,
                        "check the credential helper configured in config.json");
            }
            return text;
        } catch (IOException e) {
            throw new ImageException(ErrorKind.EXTERNAL, "cannot run credential helper " + program + ": " + e.getMessage(),
                    "install " + program + " or remove it from credHelpers/credsStore in config.json", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(ErrorKind.INTERNAL, program + " " + verb + " was interrupted", null, e);
        }
    }

    private JsonObject read() throws ImageException {
        if (!Files.exists(file)) {
            return new JsonObject();
        }
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file));
            return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
        } catch (IOException e) {
            throw ImageException.io("read " + file, e);
        } catch (RuntimeException e) {
            throw ImageException.invalid("invalid JSON in " + file, "fix or remove the file");
        }
    }

    private void write(JsonObject json) throws ImageException {
        try {
            Files.createDirectories(file.getParent());
            // created 0600 from the start: the file holds secrets, so no window where others can read it
            Path tmp = Files.createTempFile(file.getParent(), ".config.json", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(json));
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.syncDirectory(file.getParent());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw ImageException.io("write " + file, e);
        }
    }
}
