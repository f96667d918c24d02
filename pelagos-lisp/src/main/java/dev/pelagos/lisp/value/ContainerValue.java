package dev.pelagos.lisp.value;

import java.util.List;
import java.util.Objects;

/**
 * A started container. {@code handle} is whatever the installed container bindings returned;
 * {@code deps} are the containers it depends on (reverse start order), stopped with it.
 */
public record ContainerValue(String name, Object handle, List<ContainerValue> deps) implements Value {
    public ContainerValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handle, "handle");
        deps = List.copyOf(deps);
    }

    public ContainerValue withDeps(List<ContainerValue> newDeps) {
        return new ContainerValue(name, handle, newDeps);
    }

    @Override
    public String typeName() {
        return "container";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerValue c && c.handle == handle;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(handle);
    }
}
