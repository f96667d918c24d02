package dev.pelagos.lisp.runtime;

import dev.pelagos.lisp.value.ServiceSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

/**
 * How the Lisp runtime builtins (REFERENCE §2.8) reach real containers. Compose implements this;
 * the Lisp module only calls it. Handles are opaque to Lisp. Any exception a method throws becomes
 * a Lisp error ({@code container-start: <message>}) that {@code guard} can catch; blocking methods
 * should return promptly when their thread is interrupted (time-outs use interruption).
 */
public interface ContainerBindings {
    /**
     * Starts a container for {@code service} now. {@code extraEnv} (in order) is merged over the
     * service's own environment. Returns the handle the other methods receive.
     */
    Object start(ServiceSpec service, Map<String, String> extraEnv) throws Exception;

    /** The container's name as users see it (e.g. {@code <project>-<service>}). */
    String name(Object handle);

    /** Stops the container (SIGTERM, a grace period, then SIGKILL) and forgets it. */
    void stop(Object handle) throws Exception;

    /** Blocks until the container's process exits; its real exit code (DECISIONS §A6). */
    int waitFor(Object handle) throws Exception;

    /** The container's primary IP address, or null when it has none. */
    String ip(Object handle) throws Exception;

    /** Whether the container's process is still alive. */
    boolean running(Object handle) throws Exception;

    /**
     * Polls every 250 ms until a TCP connection to {@code host:port} succeeds or {@code timeout}
     * passes. {@code host} may be a name or a literal address (DECISIONS §A6). The default connects
     * from the calling process's network namespace, which reaches bridge IPs.
     */
    default boolean awaitPort(String host, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return true;
            } catch (IOException notYet) {
                // not listening yet, or the name does not resolve yet
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(250);
        }
    }
}
