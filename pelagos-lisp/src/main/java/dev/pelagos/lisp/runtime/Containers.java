package dev.pelagos.lisp.runtime;

import dev.pelagos.lisp.LispException;
import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.value.ContainerValue;
import dev.pelagos.lisp.value.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The containers a program started, in start order, so that those it did not stop are stopped
 * when the interpreter closes; and the translation of binding failures into Lisp errors.
 */
final class Containers {
    private final ContainerBindings bindings;
    private final Map<Object, ContainerValue> live = new LinkedHashMap<>();

    Containers(ContainerBindings bindings) {
        this.bindings = bindings;
    }

    ContainerBindings bindings() {
        return bindings;
    }

    ContainerValue start(String who, ServiceSpec spec, Map<String, String> env) throws LispException {
        Object handle = call(who, () -> bindings.start(spec, env));
        ContainerValue c = new ContainerValue(bindings.name(handle), handle, List.of());
        synchronized (live) {
            live.put(handle, c);
        }
        return c;
    }

    /** Stops {@code c} then its dependencies (REFERENCE: the cascade of container-stop/-wait). */
    void stopWithDeps(String who, ContainerValue c, boolean stopSelf) throws LispException {
        if (stopSelf) {
            stopOne(who, c);
        }
        for (ContainerValue d : c.deps()) {
            stopOne(who, d);
        }
    }

    /** Deregisters a container whose process has ended by itself (container-wait). */
    void forget(ContainerValue c) {
        synchronized (live) {
            live.remove(c.handle());
        }
    }

    private void stopOne(String who, ContainerValue c) throws LispException {
        boolean wasLive;
        synchronized (live) {
            wasLive = live.remove(c.handle()) != null;
        }
        if (wasLive) {
            call(who, () -> {
                bindings.stop(c.handle());
                return null;
            });
        }
    }

    /** Stops every container still registered, newest first; failures are collected, not fatal. */
    void stopAll() throws LispException {
        List<ContainerValue> left;
        synchronized (live) {
            left = new ArrayList<>(live.values());
            live.clear();
        }
        LispRuntimeException first = null;
        for (int i = left.size() - 1; i >= 0; i--) {
            try {
                bindings.stop(left.get(i).handle());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LispRuntimeException.fatal("interrupted while stopping containers", e);
            } catch (Exception e) {
                LispRuntimeException err = new LispRuntimeException("stopping container " + left.get(i).name() + ": "
                        + message(e), e);
                if (first == null) {
                    first = err;
                } else {
                    first.addSuppressed(err);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    interface Call<T> {
        T run() throws Exception;
    }

    /** Runs a binding call, turning its failure into {@code who: message}. */
    static <T> T call(String who, Call<T> c) throws LispException {
        try {
            return c.run();
        } catch (LispException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LispRuntimeException.fatal(who + ": interrupted", e);
        } catch (Exception e) {
            throw new LispRuntimeException(who + ": " + message(e), e);
        }
    }

    static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
