package dev.pelagos.cli.it.oci;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.cli.it.Pelagos;
import dev.pelagos.runtime.oci.OciTemplates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OCI bundle (busybox root, the config of {@code pelagos spec}) in a test's directory, and the
 * real {@code pelagos} binary run on it with its own {@code --root}, as a runc client would.
 */
final class OciBundle implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** The outcome of one command. */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    final Path dir;
    final Path rootfs;
    final JsonObject config;
    private final Path stateRoot;
    private final List<String> ids = new ArrayList<>();

    static void assumeUsable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, cgroups)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static at /bin/busybox");
        assumeTrue(Files.isExecutable(Pelagos.home().resolve("bin/pelagos")), "needs a built dist (pelagos.home)");
    }

    OciBundle(Path tmp) throws IOException, InterruptedException {
        dir = tmp.resolve("bundle");
        rootfs = dir.resolve("rootfs");
        stateRoot = tmp.resolve("state");
        for (String d : List.of("bin", "proc", "dev", "sys", "tmp", "root")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        Process list = new ProcessBuilder("/bin/busybox", "--list").start();
        String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor();
        for (String a : applets.split("\n")) {
            if (!a.isBlank() && !a.equals("busybox")) {
                Files.createSymbolicLink(rootfs.resolve("bin/" + a.trim()), Path.of("busybox"));
            }
        }
        config = JsonParser.parseString(OciTemplates.spec(false, 0, 0)).getAsJsonObject();
        process().addProperty("terminal", false);
    }

    JsonObject process() {
        return config.getAsJsonObject("process");
    }

    void args(String... args) {
        JsonArray a = new JsonArray();
        for (String s : args) {
            a.add(s);
        }
        process().add("args", a);
    }

    JsonArray mounts() {
        return config.getAsJsonArray("mounts");
    }

    /** The config mount with this destination. */
    JsonObject mount(String destination) {
        for (JsonElement e : mounts()) {
            if (e.getAsJsonObject().get("destination").getAsString().equals(destination)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no mount at " + destination);
    }

    void addBind(String source, String destination, String... options) {
        JsonObject m = new JsonObject();
        m.addProperty("source", source);
        m.addProperty("destination", destination);
        m.addProperty("type", "bind");
        JsonArray o = new JsonArray();
        for (String s : options) {
            o.add(s);
        }
        m.add("options", o);
        mounts().add(m);
    }

    /** A one-entry OCI id mapping list ({@code linux.uidMappings} and mounts' {@code uidMappings} alike). */
    static JsonArray idMap(long inside, long outside, long size) {
        JsonObject m = new JsonObject();
        m.addProperty("containerID", inside);
        m.addProperty("hostID", outside);
        m.addProperty("size", size);
        JsonArray a = new JsonArray();
        a.add(m);
        return a;
    }

    /** A fresh container id (deleted on close). */
    String newId() {
        String id = "it-oci-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        ids.add(id);
        return id;
    }

    /** Writes the config as edited so far to the bundle's config.json. */
    void writeConfig() throws IOException {
        Files.writeString(dir.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(config));
    }

    /** The state root every command here gets ({@code --root}). */
    Path stateRoot() {
        return stateRoot;
    }

    /** Writes the config, then runs {@code pelagos --root STATE args...} in the bundle directory. */
    Result pelagos(String... args) throws IOException, InterruptedException {
        return pelagosWithInput(Path.of("/dev/null"), args);
    }

    /** As {@link #pelagos}, with {@code stdin} as the command's standard input. */
    Result pelagosWithInput(Path stdin, String... args) throws IOException, InterruptedException {
        writeConfig();
        List<String> cmd = new ArrayList<>(List.of(Pelagos.home().resolve("bin/pelagos").toString(), "--root", stateRoot.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir.getParent(), "out", ".txt");
        Path err = Files.createTempFile(dir.getParent(), "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(stdin.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pelagos " + String.join(" ", args) + " did not finish in 30 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Override
    public void close() throws IOException {
        try {
            for (String id : ids) {
                pelagos("delete", "--force", id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
