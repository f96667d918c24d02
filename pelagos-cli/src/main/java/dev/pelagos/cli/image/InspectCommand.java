package dev.pelagos.cli.image;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.LocalImage;
import java.nio.charset.StandardCharsets;

/** {@code image inspect IMAGE...}: name, digest, layer dirs and the raw image config, as a JSON list. */
final class InspectCommand implements Command {
    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public String usage() {
        return "IMAGE [IMAGE...]";
    }

    @Override
    public String summary() {
        return "Show an image's configuration as JSON";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.required(0, "an IMAGE");
        ImageStore store = ImageCommands.store(cli);
        JsonArray out = new JsonArray();
        for (String ref : a.positionals()) {
            LocalImage i = store.get(ref);
            JsonObject o = new JsonObject();
            o.addProperty("Reference", i.reference());
            o.addProperty("Digest", i.digest().toString());
            o.addProperty("MediaType", i.manifest().mediaType());
            o.addProperty("Size", i.size());
            o.addProperty("Os", i.configDocument().os());
            o.addProperty("Architecture", i.configDocument().architecture());
            o.addProperty("Created", i.configDocument().created());
            JsonArray layers = new JsonArray();
            i.layerDirs().forEach(p -> layers.add(p.toString()));
            o.add("LayerDirs", layers);
            byte[] config = store.blobs().read(i.manifest().config().digest());
            o.add("Config", JsonParser.parseString(new String(config, StandardCharsets.UTF_8)));
            out.add(o);
        }
        cli.out().println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(out));
        return 0;
    }
}
