package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosPaths;
import dev.pelagos.cli.Cli;
import dev.pelagos.runtime.launch.Helper;
import dev.pelagos.runtime.oci.OciRuntime;
import dev.pelagos.runtime.oci.OciStore;
import java.nio.file.Path;

/** The OCI state root (global {@code --root}, default {@code <runtime>/oci}) and the runtime over it. */
final class OciContext {
    private OciContext() {
    }

    static Path root(String globalRoot) {
        return globalRoot != null ? Path.of(globalRoot) : PelagosPaths.detect().runtime().resolve("oci");
    }

    static OciRuntime runtime(Cli cli) {
        // training the AOT cache: a whole create, with a helper that is never started (all is undone)
        Helper helper = System.getProperty(dev.pelagos.cli.AotTraining.PROPERTY) != null ? Helper.rehearsal(Cli.home())
                : new Helper(Cli.home());
        return new OciRuntime(new OciStore(root(cli.stateRoot())), helper);
    }

    static void warn(Cli cli, java.util.List<String> warnings) {
        for (String w : warnings) {
            cli.err().println("pelagos: warning: " + w);
            OciLog.write(cli.logFile(), cli.logFormat(), "warning", w);
        }
    }
}
