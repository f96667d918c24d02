package dev.pelagos.lisp.value;

import java.util.List;

/** The result of {@code (compose item...)}: the declared items, each kind in declaration order. */
public record ComposeSpec(List<ServiceSpec> services, List<NetworkSpec> networks, List<VolumeSpec> volumes)
        implements Value {
    public ComposeSpec {
        services = List.copyOf(services);
        networks = List.copyOf(networks);
        volumes = List.copyOf(volumes);
    }

    @Override
    public String typeName() {
        return "compose-spec";
    }
}
