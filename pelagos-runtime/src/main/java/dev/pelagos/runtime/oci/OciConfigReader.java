package dev.pelagos.runtime.oci;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
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
        JsonReader reader = new JsonReader(new StringReader(json));
        try {
            OciConfig c = GSON.fromJson(reader, OciConfig.class);
            if (c == null) {
                throw PelagosException.invalid(source + " is empty", "write the container's configuration as a JSON object");
            }
            return c;
        } catch (JsonParseException | IllegalStateException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            String msg = root.getMessage() == null ? root.toString() : root.getMessage();
            // the reader's position names the field to fix, e.g. $.process.user.uid
            throw PelagosException.invalid("invalid " + source + " at " + reader.getPath() + ": "
                    + msg.replaceAll("\\s*See https?://\\S+", ""), "check the value's type against the OCI runtime spec");
        }
    }
}
