package dev.pelagos.cli;

import dev.pelagos.base.PelagosPaths;
import dev.pelagos.runtime.container.Containers;
import dev.pelagos.runtime.launch.SpecEncoder;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.spec.ContainerConfigBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build's training run for the JDK AOT cache: walks the start paths (argument parsing, help,
 * planning a container, encoding the spec) and exits normally, which a real run never does —
 * it ends in execv — so a real run could never write the cache itself.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("pelagos-aot-");
        try {
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            PelagosPaths paths = new PelagosPaths(tmp.resolve("data"), tmp.resolve("run"));
            Cli cli = new Cli(sink, sink, paths);
            Main.run(List.of("--help"), cli);
            Main.run(List.of("run", "--help"), cli);
            Main.run(List.of("run", "--bogus"), cli);
            Main.run(List.of("rootfs", "ls"), cli);
            Path rootfs = tmp.resolve("rootfs");
            Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
            Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            Containers containers = new Containers(paths, Cli.home());
            for (int i = 0; i < 3; i++) {
                ContainerConfigBuilder b = new ContainerConfigBuilder().rootfs(rootfs, "train").command(List.of("/bin/true"))
                        .autoRemove(true).envFlag("A=B").user(i == 0 ? null : "nobody").tmpfsFlag("/scratch:size=1m")
                        .ulimitFlag("nofile=1024:2048");
                Containers.Prepared p = containers.prepare(b.build(), SpecTag.Mode.RUN);
                SpecEncoder.encode(p.plan());
                // the training made a real cgroup (as root): never leave it behind
                for (String dir : p.plan().lifecycle().cgroupRmdir()) {
                    Files.deleteIfExists(Path.of(dir));
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
