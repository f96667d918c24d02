package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.Planner;
import dev.pelagos.runtime.network.BridgeNetwork;
import dev.pelagos.runtime.network.NetworkAttachment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's bridge network between its starts: attached before the hand-off (again on every
 * start, the namespace ending with the container), its address kept in the state directory
 * ({@code network}) for inspect and for the next start, and let go on removal.
 */
final class ContainerNetwork {
    static final String FILE = "network";
    private final ContainerStore store;
    private final BridgeNetwork bridge;

    ContainerNetwork(ContainerStore store, Path runtimeDir) {
        this.store = store;
        this.bridge = new BridgeNetwork(runtimeDir);
    }

    /** Puts the container on the bridge and notes its address; undone entirely on failure. */
    Planner.Network attach(String id, Path stateDir) throws PelagosException {
        NetworkAttachment a = bridge.attach(id, this::holdsAddress);
        String address = a.address().getHostAddress();
        try {
            Files.writeString(stateDir.resolve(FILE), address + "/" + a.prefixLength() + " " + a.gateway().getHostAddress() + "\n");
        } catch (IOException e) {
            bridge.detach(id);
            throw PelagosException.io("write the network of container " + id, e);
        }
        return new Planner.Network(a.netns(), address);
    }

    /**
     * A stopped container starting again: a fresh namespace at the same place (its saved launch
     * refers to it), usually the same address; /etc/hosts follows a changed one.
     */
    void reattach(String id, Path stateDir) throws PelagosException {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return; // not on the bridge
        }
        try {
            String before = Files.readString(file, StandardCharsets.UTF_8).split("/")[0];
            String now = attach(id, stateDir).address();
            Path hosts = stateDir.resolve("etc/hosts");
            if (!now.equals(before) && Files.isRegularFile(hosts)) {
                Files.writeString(hosts, Files.readString(hosts).replace(before + "\t", now + "\t"));
            }
        } catch (IOException e) {
            throw PelagosException.io("read the network of container " + id, e);
        }
    }

    /** The claim file of the address a container was given (Planner.Network.address). */
    Path claimFile(String address) {
        try {
            return bridge.claimFile((java.net.Inet4Address) java.net.InetAddress.getByName(address));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** Lets go of the namespace file (if the helper never took it) and the address. */
    void detach(String id) throws PelagosException {
        bridge.detach(id);
    }

    /** The address noted for a container ("172.19.0.2/24 172.19.0.1"), or null when it is not on the bridge. */
    static String noted(Path stateDir) {
        try {
            Path file = stateDir.resolve(FILE);
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the container holding a claim still needs its address: it is being made, running or paused. */
    private boolean holdsAddress(String id) {
        if (!ContainerId.isValid(id)) {
            return false;
        }
        return store.load(new ContainerId(id)).map(c -> switch (c.status()) {
            case CREATED, RUNNING, PAUSED -> true;
            default -> false;
        }).orElse(false);
    }
}
