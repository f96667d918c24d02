package dev.pelagos.runtime.oci;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a bundle's {@code config.json} into an {@link OciConfig}. */
public final class OciConfigReader {
    private static final Gson GSON = new Gson();

    private OciConfigReader() {
    }

    public static OciConfig read(Path bundle) throws PelagosException {
        Path file = bundle.resolve("config.json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw PelagosException.notFound("bundle " + bundle + " has no config.json",
                    "a bundle is a directory holding config.json and the root filesystem; see 'pelagos spec'");
        } catch (IOException e) {
            throw PelagosException.io("read " + file, e);
        }
        return parse(text, file.toString());
    }

    public static OciConfig parse(String json, String source) throws PelagosException {
        try {
            OciConfig c = GSON.fromJson(json, OciConfig.class);
            if (c == null) {
                throw PelagosException.invalid(source + " is empty", "write the container's configuration as a JSON object");
            }
            return c;
        } catch (JsonParseException | IllegalStateException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            // Gson names the JSON path ("... path $.process.user.uid"): that is the field to fix
            throw PelagosException.invalid("invalid " + source + ": " + msg.replaceAll("\\s*See https?://\\S+", ""),
                    "check the value's type against the OCI runtime spec");
        }
    }
}
