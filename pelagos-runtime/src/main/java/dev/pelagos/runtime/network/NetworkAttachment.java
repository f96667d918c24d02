package dev.pelagos.runtime.network;

import java.net.Inet4Address;
import java.nio.file.Path;

/**
 * A container's place on a network, made before it starts.
 *
 * @param netns        the network namespace, bound on this file until the helper has joined it
 * @param address      the container's address on eth0
 * @param prefixLength the subnet's prefix length
 * @param gateway      the bridge's address, the container's default route
 */
public record NetworkAttachment(Path netns, Inet4Address address, int prefixLength, Inet4Address gateway) {
}
