package dev.pelagos.runtime.network;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's place on its networks, made before it starts.
 *
 * @param netns     the network namespace, bound on this file until the helper has joined it
 * @param endpoints one per network, in the order asked: eth0, eth1, ...
 */
public record NetworkAttachment(Path netns, List<Endpoint> endpoints) {
    public NetworkAttachment {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * @param gateway the bridge's address; the first network's is the default route
     */
    public record Endpoint(String network, String device, Inet4Address address, int prefixLength, Inet4Address gateway) {
    }
}
