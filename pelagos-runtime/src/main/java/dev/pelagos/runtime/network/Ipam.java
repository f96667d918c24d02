package dev.pelagos.runtime.network;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.FileLock;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The addresses of one IPv4 subnet handed to containers: a claim file per address naming its
 * container, made under a lock. A claim whose container no longer runs is stale and reused, so a
 * crash never leaks an address; the lowest free host address goes first (network+2 upward: +1 is
 * the gateway), so addresses stay small and predictable.
 */
public final class Ipam {
    private final Path dir;
    private final Subnet subnet;

    /** @param dir where the claims are kept */
    public Ipam(Path dir, Subnet subnet) {
        this.dir = dir;
        this.subnet = subnet;
    }

    /**
     * Claims the lowest address that is free or whose claim is stale (or returns the one
     * {@code owner} holds already).
     *
     * @param owner     the container id written in the claim
     * @param inUse     whether the container of an existing claim still needs its address
     */
    @SuppressWarnings("try") // the lock is held by the try block, never read
    public Inet4Address claim(String owner, Predicate<String> inUse) throws PelagosException {
        int network = Subnet.toInt(subnet.network());
        int broadcast = network | ~Subnet.mask(subnet.prefixLength());
        try {
            Files.createDirectories(dir);
            try (FileLock lock = FileLock.acquire(dir.resolve(".lock"))) {
                for (int a = network + 2; a < broadcast; a++) {
                    Inet4Address address = Subnet.toAddress(a);
                    Path claim = dir.resolve(address.getHostAddress());
                    if (Files.exists(claim)) {
                        String holder = Files.readString(claim, StandardCharsets.UTF_8).strip();
                        if (holder.equals(owner)) {
                            return address; // already ours (a container started again)
                        }
                        if (inUse.test(holder)) {
                            continue;
                        }
                    }
                    AtomicFiles.replace(claim, owner);
                    return address;
                }
            }
        } catch (IOException e) {
            throw PelagosException.io("claim an address in " + dir, e);
        }
        throw PelagosException.conflict("no free address left in " + subnet,
                "remove stopped containers of this network (pelagos rm)");
    }

    /** Gives back every address {@code owner} holds. */
    public void release(String owner) throws PelagosException {
        release(dir, owner);
    }

    /** Gives back every address {@code owner} holds among the claims in {@code dir}. */
    @SuppressWarnings("try")
    public static void release(Path dir, String owner) throws PelagosException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (FileLock lock = FileLock.acquire(dir.resolve(".lock")); Stream<Path> claims = Files.list(dir)) {
            for (Path c : (Iterable<Path>) claims::iterator) {
                if (!c.getFileName().toString().startsWith(".") && Files.readString(c, StandardCharsets.UTF_8).strip().equals(owner)) {
                    Files.deleteIfExists(c);
                }
            }
        } catch (IOException e) {
            throw PelagosException.io("release the addresses of " + owner + " in " + dir, e);
        }
    }
}
