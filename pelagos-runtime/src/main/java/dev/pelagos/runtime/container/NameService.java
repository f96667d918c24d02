package dev.pelagos.runtime.container;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.runtime.dns.DnsServer;
import dev.pelagos.runtime.dns.ServeRequest;
import dev.pelagos.runtime.dns.Upstreams;
import dev.pelagos.runtime.network.NetworkAttachment;
import dev.pelagos.sys.UnixSockets;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The name service's process, one per runtime directory: started by the first container that goes
 * on a bridge, it ends by itself once no container is on one. While it lives it holds the lock on
 * {@code <runtime>/dns/daemon.lock} (that lock, not a PID, is how a starter knows it runs) and
 * listens on {@code <runtime>/dns/control.sock}, where each container's starter asks it to serve
 * the container's networks before the container runs.
 *
 * <p>Ending races with a container starting: the daemon lets go of the lock and then looks once
 * more. A starter whose request it answered is seen by that look (the request keeps its networks
 * served for a while); a starter whose request goes unanswered finds the lock free and starts
 * another daemon.
 */
public final class NameService {
    private static final String DIR = "dns";
    private static final String LOCK = "daemon.lock";
    private static final String SOCKET = "control.sock";
    private static final String PID = "pid";
    private static final long READY_TIMEOUT_NANOS = 5_000_000_000L;
    private static final int REQUEST_TIMEOUT_MILLIS = 2000;

    /** Only the daemon logs: a container's start must not pay for finding a logger. */
    private static System.Logger log() {
        return System.getLogger(NameService.class.getName());
    }

    private NameService() {
    }

    /** {@code NameService --runtime-dir DIR [--port N] [--upstream ADDRESS[:PORT]]...} */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path runtimeDir = null;
        int port = 53;
        List<InetSocketAddress> upstreams = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--runtime-dir" -> runtimeDir = Path.of(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--upstream" -> upstreams.add(Upstreams.parse(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (runtimeDir == null) {
            throw new IllegalArgumentException("--runtime-dir is required");
        }
        Path dir = runtimeDir.resolve(DIR);
        try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = null;
            // a starter checking whether the lock is free holds it for a moment: try a few times
            for (int attempt = 0; attempt < 10 && lock == null; attempt++) {
                lock = lockFile.tryLock();
                if (lock == null) {
                    Thread.sleep(5);
                }
            }
            if (lock == null) {
                return; // another one serves
            }
            Files.deleteIfExists(dir.resolve(SOCKET)); // a dead daemon's
            try (DnsServer server = new DnsServer(new ContainerZones(new ContainerStore(runtimeDir)), port, upstreams);
                    ServerSocketChannel control = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                control.bind(UnixDomainSocketAddress.of(dir.resolve(SOCKET)));
                Files.setPosixFilePermissions(dir.resolve(SOCKET), PosixFilePermissions.fromString("rw-------"));
                server.refresh();
                writePid(dir);
                log().log(System.Logger.Level.INFO, "serving, upstreams " + upstreams);
                FileLock[] held = {lock};
                server.serve(() -> handOver(server, lockFile, held, dir), control);
            }
        }
        log().log(System.Logger.Level.INFO, "no container is on a bridge: ended");
    }

    /** No container was seen on a bridge: true to end, false when one turned up meanwhile. */
    private static boolean handOver(DnsServer server, FileChannel lockFile, FileLock[] held, Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(PID));
            held[0].release();
            if (!server.refresh().busy()) {
                return true;
            }
            held[0] = lockFile.tryLock();
            if (held[0] == null) {
                return true; // a new daemon took over
            }
            writePid(dir);
            return false;
        } catch (IOException e) {
            log().log(System.Logger.Level.WARNING, "cannot hand over: " + e.getMessage());
            return true;
        }
    }

    /**
     * Has the daemon serve these endpoints' networks, starting it when none runs, and returns once
     * it does. Called after the container's networks are noted in its state directory.
     */
    public static void ensureRunning(Path runtimeDir, Path jniLibrary, List<NetworkAttachment.Endpoint> endpoints) throws IOException {
        Path dir = runtimeDir.resolve(DIR);
        Files.createDirectories(dir);
        List<ServeRequest.Network> networks = new ArrayList<>();
        for (NetworkAttachment.Endpoint e : endpoints) {
            networks.add(new ServeRequest.Network(e.network(), e.gateway(), e.prefixLength()));
        }
        byte[] request = ServeRequest.of(networks);
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        boolean started = false;
        while (!UnixSockets.request(jniLibrary, dir.resolve(SOCKET), request, REQUEST_TIMEOUT_MILLIS).map(ServeRequest::accepted).orElse(false)) {
            if (!started && lockFree(dir)) {
                start(runtimeDir, dir);
                started = true;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the name service did not start; see " + dir.resolve("daemon.log"));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the name service");
            }
        }
    }

    /** Starts the daemon in its own session: a Ctrl-C meant for the command that started it must not end it. */
    private static void start(Path runtimeDir, Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a small JVM: one per host for as long as containers are on bridges (its heap holds a scan of the store)
        List<String> cmd = new ArrayList<>(List.of("setsid", "-f", java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms2m",
                "-Xmx32m", "-Xss512k", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=8m", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), NameService.class.getName(), "--runtime-dir", runtimeDir.toString()));
        for (InetSocketAddress u : Upstreams.fromEnvironmentOrHost()) {
            cmd.add("--upstream");
            cmd.add(u.getAddress().getHostAddress() + ":" + u.getPort());
        }
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile())).start();
        try {
            p.waitFor(); // setsid -f returns once the daemon is forked
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether no daemon holds the lock. */
    private static boolean lockFree(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l = ch.tryLock()) {
            return l != null;
        }
    }

    private static void writePid(Path dir) throws IOException {
        AtomicFiles.replace(dir.resolve(PID), ProcessHandle.current().pid() + "\n");
    }
}
