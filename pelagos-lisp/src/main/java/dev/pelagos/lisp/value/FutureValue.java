package dev.pelagos.lisp.value;

import java.util.List;

/**
 * A lazy node of the container graph ({@code start}, {@code then}, {@code then-all}); executed by
 * {@code run} or {@code resolve}. Futures compare by identity.
 */
public sealed interface FutureValue extends Value {
    String name();

    /** The futures this one needs first. */
    List<FutureValue> upstream();

    @Override
    default String typeName() {
        return "future";
    }

    /** Start {@code service} once {@code needs} are resolved; {@code envProc} (or null) builds extra env. */
    record ContainerNode(String name, ServiceSpec service, List<FutureValue> needs, Procedure envProc)
            implements FutureValue {
        public ContainerNode {
            needs = List.copyOf(needs);
        }

        @Override
        public List<FutureValue> upstream() {
            return needs;
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

    /** Apply {@code proc} to the value of {@code source}. */
    record TransformNode(String name, FutureValue source, Procedure proc) implements FutureValue {
        @Override
        public List<FutureValue> upstream() {
            return List.of(source);
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

    /** Apply {@code proc} to the values of all {@code sources}, in order. */
    record JoinNode(String name, List<FutureValue> sources, Procedure proc) implements FutureValue {
        public JoinNode {
            sources = List.copyOf(sources);
        }

        @Override
        public List<FutureValue> upstream() {
            return sources;
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
}
