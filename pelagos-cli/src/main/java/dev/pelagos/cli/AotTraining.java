package dev.pelagos.cli;

import dev.pelagos.base.PelagosPaths;
import dev.pelagos.runtime.seccomp.SeccompChoice;
import dev.pelagos.runtime.seccomp.SeccompFilters;
import dev.pelagos.runtime.spec.Capability;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build's training run for the JDK AOT cache. The cache holds (and the JVM loads at start-up)
 * every class the training loaded, so the training walks exactly the hot paths and nothing more:
 * {@code run --rm} up to the hand-off (a real run ends in execv, which never writes a cache), with
 * the seccomp filter already compiled — a real start reads cached BPF bytes and never touches FFM.
 * <pre>
 *   AotTraining --warm DIR   compile the default filter into DIR's cache (a separate JVM, not trained)
 *   AotTraining DIR          the training run for container verbs (with -XX:AOTCacheOutput)
 *   AotTraining --lisp DIR   the training run for the Lisp
 *   AotTraining --ops DIR    the training run for the other verbs (ps, inspect, logs, rm, images, OCI ...)
 * The launcher picks a cache by verb, because the JVM loads everything in a cache at start-up: the
 * run cache stays as small as the run path.
 * </pre>
 */
public final class AotTraining {
    /** Set during training: verbs stop just before handing this process over to the helper. */
    public static final String PROPERTY = "pelagos.aot.training";

    private AotTraining() {
    }

    /**
     * A container on a user network reads the network's file and, claiming an address, the records
     * of the containers holding the others: Gson's record reading, which nothing else on this path does.
     */
    private static void readStoredState(Path dir, PelagosPaths paths, Path rootfs) throws Exception {
        var networks = new dev.pelagos.runtime.network.NetworkStore(paths.data());
        networks.create("trained", "10.0.0.0/24");
        networks.get("trained");
        var containers = new dev.pelagos.runtime.container.Containers(paths, Cli.home());
        var p = containers.prepare(new dev.pelagos.runtime.spec.ContainerConfigBuilder().name("trained").rootfs(rootfs, "t")
                .command(List.of("/bin/true")).build(), dev.pelagos.runtime.launch.SpecTag.Mode.DETACH);
        containers.store().list();
        containers.discardPrepared(p);
    }

    /** A bridge container's start asks the name service to serve its network: the starter's side, against a stand-in. */
    private static void askTheNameService(PelagosPaths paths) throws Exception {
        Path socket = paths.runtime().resolve("dns/control.sock");
        Files.createDirectories(socket.getParent());
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            Thread answering = Thread.ofPlatform().start(() -> {
                try (var ch = server.accept()) {
                    ch.read(java.nio.ByteBuffer.allocate(256));
                    ch.write(java.nio.ByteBuffer.wrap("ok\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    // training only
                }
            });
            var gateway = (java.net.Inet4Address) java.net.InetAddress.getByName("10.0.0.1");
            var address = (java.net.Inet4Address) java.net.InetAddress.getByName("10.0.0.2");
            dev.pelagos.runtime.container.NameService.ensureRunning(paths.runtime(), Cli.home().resolve("lib/libpelagos-jni.so"),
                    List.of(new dev.pelagos.runtime.network.NetworkAttachment.Endpoint("trained", "eth0", address, 24, gateway)));
            answering.join();
        }
    }

    /** The verbs other than run: listing, inspecting, logs and removal of a container, images, OCI queries. */
    private static void trainOperations(Path dir, PelagosPaths paths) throws Exception {
        try {
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            Cli cli = new Cli(sink, sink, paths);
            Path rootfs = dir.resolve("rootfs");
            Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            dev.pelagos.runtime.container.Containers containers = new dev.pelagos.runtime.container.Containers(paths, Cli.home());
            var p = containers.prepare(new dev.pelagos.runtime.spec.ContainerConfigBuilder().name("trained").rootfs(rootfs, "t")
                    .command(List.of("/bin/true")).build(), dev.pelagos.runtime.launch.SpecTag.Mode.DETACH);
            for (List<String> argv : List.of(List.of("ps"), List.of("ps", "-a"), List.of("ps", "-a", "--format", "json"),
                    List.of("inspect", "trained"), List.of("logs", "--tail", "5", "trained"), List.of("stop", "trained"),
                    List.of("kill", "trained"), List.of("rm", "-f", "trained"), List.of("volume", "ls"), List.of("image", "ls"),
                    List.of("info"), List.of("state", "nosuch"), List.of("list"), List.of("delete", "nosuch"),
                    List.of("rm", "nosuch"), List.of("exec", "nosuch", "true"), List.of("--help"))) {
                Main.run(argv, cli);
            }
            containers.discardPrepared(p);
            // the OCI verbs (each a fresh JVM under containerd or podman) use this cache too
            Path oci = dir.resolve("oci");
            Files.createDirectories(oci);
            dev.pelagos.runtime.oci.OciTraining.exercise(oci);
            // and their command lines as containerd's shim writes them: global flags, routing, parsing, the error path
            String root = oci.resolve("cli-root").toString();
            Path bundle = oci.resolve("cli-bundle");
            Files.createDirectories(bundle);
            // a valid bundle, created and run in rehearsal (as root: cgroups made and removed again)
            Path rehearsed = oci.resolve("rehearsed");
            Files.createDirectories(rehearsed.resolve("rootfs/bin"));
            Main.run(List.of("spec", "--bundle", rehearsed.toString()), cli);
            System.setProperty(PROPERTY, "true");
            try {
                for (String verb : List.of("run", "create", "run")) {
                    Main.run(List.of("--root", root, verb, "--bundle", rehearsed.toString(), "rehearsal-" + verb), cli);
                }
            } finally {
                System.clearProperty(PROPERTY);
            }
            for (List<String> argv : List.of(List.of("spec", "--bundle", bundle.toString()), List.of("state", "nosuch"),
                    List.of("start", "nosuch"), List.of("kill", "nosuch", "KILL"), List.of("kill", "--all", "nosuch", "9"),
                    List.of("exec", "--process", bundle.resolve("p.json").toString(), "--detach", "nosuch"),
                    List.of("exec", "nosuch", "true"), List.of("ps", "--format", "json", "nosuch"), List.of("pause", "nosuch"),
                    List.of("resume", "nosuch"), List.of("delete", "nosuch"), List.of("delete", "--force", "nosuch"),
                    List.of("list", "-q"), List.of("list", "--format", "json"), List.of("features"),
                    List.of("update", "--pids-limit", "10", "nosuch"),
                    // a bundle whose root is missing: read and validated, refused before anything is made
                    List.of("create", "--bundle", bundle.toString(), "nosuch"),
                    List.of("run", "--bundle", bundle.toString(), "nosuch"))) {
                List<String> full = new java.util.ArrayList<>(List.of("--root", root, "--log", oci.resolve("log.json").toString(),
                        "--log-format", "json"));
                full.addAll(argv);
                Main.run(full, cli);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }

    public static void main(String[] args) throws Exception {
        boolean warm = args.length > 0 && args[0].equals("--warm");
        boolean lisp = args.length > 0 && args[0].equals("--lisp");
        boolean ops = args.length > 0 && args[0].equals("--ops");
        int at = warm || lisp || ops ? 1 : 0;
        Path dir = args.length > at ? Path.of(args[at]) : Files.createTempDirectory("pelagos-aot-");
        PelagosPaths paths = new PelagosPaths(dir.resolve("data"), dir.resolve("run"));
        if (warm) {
            SeccompFilters.forContainer(SeccompChoice.DEFAULT, Capability.DEFAULT_MASK, paths.seccompCache());
            return;
        }
        if (lisp) {
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            Cli cli = new Cli(sink, sink, paths);
            Main.run(List.of("lisp", "-e", "(define (f n) (if (< n 2) n (+ (f (- n 1)) (f (- n 2))))) (f 18)"), cli);
            Main.run(List.of("lisp", "-e", "(let loop ((i 0) (acc '())) (if (< i 1000) (loop (+ i 1) (cons i acc))"
                    + " (length (map (lambda (x) (* x 2)) (filter odd? acc)))))"), cli);
            Main.run(List.of("lisp", "-e", "(string-append \"a\" (number->string 1))"), cli);
            return;
        }
        if (ops) {
            trainOperations(dir, paths);
            return;
        }
        System.setProperty(PROPERTY, "true");
        try {
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            Cli cli = new Cli(sink, sink, paths);
            Path rootfs = dir.resolve("rootfs");
            Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
            Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            for (int i = 0; i < 3; i++) {
                // --network none: a build must not touch the host's networking (as root, bridge would be the default)
                Main.run(List.of("run", "--rm", "--network", "none", "--rootfs", rootfs.toString(), "/bin/true"), cli);
            }
            Main.run(List.of("run", "--rm", "--network", "none", "-e", "A=B", "-u", "nobody", "--tmpfs", "/scratch:size=1m", "--ulimit",
                    "nofile=1024:2048", "--rootfs", rootfs.toString(), "/bin/true"), cli);
            Main.run(List.of("run", "--bogus"), cli);
            Main.run(List.of("--version"), cli);
            askTheNameService(paths);
            readStoredState(dir, paths, rootfs);
        } finally {
            System.clearProperty(PROPERTY);
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
