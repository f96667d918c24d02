package dev.pelagos.runtime.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.SpecEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Walks the OCI verbs' start path without starting anything (no process, no cgroup), for the
 * build's AOT-cache training run: every verb is a fresh JVM, and what the cache does not hold
 * (Gson's record adapters, reflection) costs tens of milliseconds per call.
 */
public final class OciTraining {
    private OciTraining() {
    }

    /** Runs {@link #exercise} in a temporary directory (a training entry point of its own, for measuring). */
    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("pelagos-oci-aot-");
        try {
            exercise(tmp);
        } finally {
            try (java.util.stream.Stream<Path> s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** @param tmp an empty scratch directory; everything is made and removed inside it */
    public static void exercise(Path tmp) throws PelagosException, IOException {
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), OciTemplates.spec(false, 0, 0));
        OciConfig c = OciConfigReader.read(bundle);
        ConfigValidator.validate(c, bundle);
        OciCgroups.resolvePath(c.linux().cgroupsPath(), "train", false);
        OciCgroups.resources(c.linux().resources());
        // the create path's device check, with an exception (a Match) as real configs have
        dev.pelagos.cgroup.DeviceFilter.of(V1ExtraControllers.rules(c.linux().resources() == null ? null
                : c.linux().resources().devices())).apply(new dev.pelagos.cgroup.DeviceRule(true, 'c', 1, 3, "rwm"));
        dev.pelagos.base.DebugLog.log(OciTraining.class, "trained {0}", bundle);
        OciStore store = new OciStore(tmp.resolve("state"));
        Path dir = store.claim("train");
        LaunchPlan plan = BundlePlanner.plan(c, bundle, dir, BundlePlanner.Options.create(tmp.resolve("pid"), null, 0, false),
                List.of(), List.of(), List.of(), null);
        plan = new LaunchPlan(plan.mode(), BundlePlanner.withPersonality(plan.process(), c.linux()), plan.filesystem(),
                plan.namespaces(), plan.lifecycle());
        SpecEncoder.encode(plan);
        store.save(dir, new OciRecord(c.ociVersion(), "train", bundle.toString(), bundle.resolve("rootfs").toString(),
                System.currentTimeMillis(), ProcessHandle.current().pid(), Map.of("a", "b"), "pelagos-oci/train", c.hooks(), 0,
                0, 0, List.of(), plan.process().env(), "/", new long[5], true, false, List.of()));
        for (OciContainer k : store.list()) {
            OciStateJson.pretty(OciStateJson.of(k, k.status()));
            OciStateJson.compact(OciStateJson.of(k, k.status()));
        }
        OciExec.defaults(store.load("train"));
        OciTemplates.features();
        store.remove("train");
    }
}
