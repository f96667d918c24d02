package dev.pelagos.lisp.value;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A container being started on a background thread ({@code container-start-bg}). */
public record PendingContainer(CompletableFuture<ContainerValue> result, AtomicBoolean joined) implements Value {
    @Override
    public String typeName() {
        return "pending-container";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
