package dev.pelagos.runtime.container;

import java.nio.file.Path;

/**
 * One container as it is now: its fixed record, what the helper recorded, and the status derived
 * from both plus a liveness check of the process.
 */
public record Container(ContainerRecord record, ContainerState state, ContainerStatus status, Path stateDir) {

    public ContainerId id() {
        return new ContainerId(record.id());
    }

    public String name() {
        return record.name();
    }

    public boolean running() {
        return status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED;
    }

    public Path logFile() {
        return stateDir.resolve("container.log");
    }

    /** Its published ports as last made ({@code -p}, host ports filled in); empty when none. */
    public java.util.List<dev.pelagos.runtime.spec.PortMapping> publishedPorts() {
        return ContainerNetwork.published(stateDir.resolve(ContainerNetwork.PORTS_FILE));
    }

    /** The other names it answers to on its bridge networks ({@code --network-alias}). */
    public java.util.List<String> networkAliases() {
        return ContainerNetwork.lines(stateDir.resolve(ContainerNetwork.ALIASES_FILE));
    }

    /** The resolvers its name service asks about other names ({@code --dns}); empty: the host's. */
    public java.util.List<String> dnsServers() {
        return ContainerNetwork.lines(stateDir.resolve(ContainerNetwork.DNS_SERVERS_FILE));
    }

    /** Its bridge network endpoints as last given, eth0 first; empty when on none. */
    public java.util.List<dev.pelagos.runtime.network.NetworkAttachment.Endpoint> networkEndpoints() {
        return ContainerNetwork.endpoints(stateDir);
    }
}
