package dev.pelagos.lisp;

import dev.pelagos.lisp.runtime.ContainerBindings;
import dev.pelagos.lisp.value.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * In-memory containers for tests. A service whose image is {@code "fail"} fails to start; a
 * service whose command is {@code ("exit" "N")} exits with N when waited for; a container's port
 * is "open" when its service maps that container port. Every call is recorded in {@link #events()}.
 */
public final class FakeBindings implements ContainerBindings {
    record Handle(String name, ServiceSpec spec, Map<String, String> env, String ip) {
    }

    private final List<String> events = new ArrayList<>();
    private final List<Handle> running = new ArrayList<>();
    private int started;

    @Override
    public synchronized Object start(ServiceSpec service, Map<String, String> extraEnv) throws Exception {
        if (service.image().equals("fail")) {
            events.add("start-failed " + service.name());
            throw new Exception("image 'fail' not found");
        }
        started++;
        Handle h = new Handle("proj-" + service.name(), service, Map.copyOf(extraEnv), "10.99.0." + (started + 1));
        running.add(h);
        events.add("start " + service.name() + (extraEnv.isEmpty() ? "" : " " + new java.util.TreeMap<>(extraEnv)));
        return h;
    }

    @Override
    public String name(Object handle) {
        return ((Handle) handle).name();
    }

    @Override
    public synchronized void stop(Object handle) {
        Handle h = (Handle) handle;
        running.remove(h);
        events.add("stop " + h.spec().name());
    }

    @Override
    public synchronized int waitFor(Object handle) {
        Handle h = (Handle) handle;
        running.remove(h);
        events.add("wait " + h.spec().name());
        List<String> cmd = h.spec().command();
        return cmd != null && cmd.size() == 2 && cmd.get(0).equals("exit") ? Integer.parseInt(cmd.get(1)) : 0;
    }

    @Override
    public String ip(Object handle) {
        return ((Handle) handle).ip();
    }

    @Override
    public synchronized boolean running(Object handle) {
        return running.contains((Handle) handle);
    }

    @Override
    public synchronized boolean awaitPort(String host, int port, Duration timeout) {
        for (Handle h : running) {
            if (h.ip().equals(host) && h.spec().ports().stream().anyMatch(p -> p.container() == port)) {
                return true;
            }
        }
        return false;
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized int runningCount() {
        return running.size();
    }
}
