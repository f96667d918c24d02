package dev.pelagos.runtime.network;

import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.spec.PortMapping;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Published ports ({@code -p}) as nftables DNAT in {@link PelagosTable}: maps from a host
 * port (on any local address, or on one) to a container's address and port, consulted for
 * connections from outside (prerouting) and from the host itself (output); connections from
 * 127.0.0.1 are masqueraded so the container can answer them (with {@code route_localnet} on the
 * bridge), so localhost reaches a published port without a proxy process. Each container's
 * forwards are also kept in a file, {@code <runtime>/networks/ports/ID}, from which they are
 * removed: when the container is removed, or when its address is taken by another container
 * (the container stopped), so a forward never leads to a container that did not ask for it.
 */
public final class PortForwards {
    private final Path dir;
    private final Path jniLibrary;

    public PortForwards(Path runtimeDir, Path jniLibrary) {
        this.dir = runtimeDir.resolve("networks").resolve("ports");
        this.jniLibrary = jniLibrary;
    }

    /**
     * Forwards {@code ports} to {@code address} on {@code bridge} for container {@code id}; a host
     * port of 0 becomes one that is free now. Forwards of containers that no longer hold their
     * address ({@code holds} false) are dropped first.
     *
     * @return the forwards as made (host ports filled in)
     */
    public List<PortMapping> publish(String id, Inet4Address address, String bridge, List<PortMapping> ports,
            Predicate<String> holds) throws PelagosException {
        try (FileChannel ch = lock()) {
            ch.lock(); // held until the channel closes
            sweep(id, holds); // nft is called only when there is something to do: most starts publish nothing
            if (ports.isEmpty()) {
                release(id);
                return List.of();
            }
            List<Taken> taken = new ArrayList<>();
            for (String other : ids()) {
                if (!other.equals(id)) {
                    for (Forward f : read(other)) {
                        taken.add(new Taken(f.port(), other));
                    }
                }
            }
            List<Forward> made = new ArrayList<>();
            for (PortMapping p : ports) {
                PortMapping resolved = p.hostPort() == 0 ? withFreePort(p, taken) : p;
                for (Taken t : taken) {
                    if (t.port().clashesWith(resolved)) {
                        throw PelagosException.conflict("port " + resolved.hostPort() + "/" + resolved.protocol()
                                + " is already published by container " + t.owner().substring(0, Math.min(12, t.owner().length())),
                                "publish another host port, or remove that container");
                    }
                }
                taken.add(new Taken(resolved, id));
                made.add(new Forward(resolved, address));
            }
            release(id); // a start again replaces what the last one made
            AtomicFiles.write(dir.resolve(id), encode(made)); // first: a crash in between leaves a file to sweep
            try {
                PelagosTable.add(jniLibrary, made.stream().map(f -> f.element(true)).toList());
                // the kernel drops packets from 127.0.0.1 routed out of a real interface unless told otherwise
                Files.writeString(Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet"), "1");
            } catch (IOException e) {
                release(id);
                throw e;
            }
            return made.stream().map(Forward::port).toList();
        } catch (IOException e) {
            throw new PelagosException(ErrorKind.INTERNAL, "cannot publish the ports of container " + id + ": " + e.getMessage(),
                    "check that nftables works here (nft list ruleset)", e);
        }
    }

    /** Removes a container's forwards (nothing when it has none). */
    public void unpublish(String id) throws PelagosException {
        try (FileChannel ch = lock()) {
            ch.lock();
            release(id);
        } catch (IOException e) {
            throw PelagosException.io("remove the published ports of container " + id, e);
        }
    }

    /** The containers that have forwards now. */
    public List<String> owners() {
        try {
            return ids();
        } catch (IOException e) {
            return List.of();
        }
    }

    private void release(String id) throws IOException {
        List<Forward> forwards = read(id);
        if (!forwards.isEmpty()) {
            PelagosTable.delete(jniLibrary, forwards.stream().map(f -> f.element(false)).toList());
        }
        Files.deleteIfExists(dir.resolve(id));
    }

    private void sweep(String id, Predicate<String> holds) throws IOException {
        for (String other : ids()) {
            if (!other.equals(id) && !holds.test(other)) {
                release(other);
            }
        }
    }

    private PortMapping withFreePort(PortMapping p, List<Taken> taken) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            // the kernel's pick of a free ephemeral port, as Docker lets it pick
            try (ServerSocket s = new ServerSocket(0, 1, p.hostIp() == null ? InetAddress.getByName("0.0.0.0") : p.hostIp())) {
                port = s.getLocalPort();
            }
            PortMapping c = new PortMapping(p.hostIp(), port, p.containerPort(), p.protocol());
            if (taken.stream().noneMatch(t -> t.port().clashesWith(c))) {
                return c;
            }
        }
        throw new IOException("no free host port for " + p.describe());
    }

    private FileChannel lock() throws IOException {
        Files.createDirectories(dir);
        return FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private List<String> ids() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** A host port in use, and the container that has it. */
    private record Taken(PortMapping port, String owner) {
    }

    /** One forward: the publication and the container address it leads to. */
    record Forward(PortMapping port, Inet4Address to) {
        /** The map element, with its value when {@code withValue} (to add) or its key only (to delete). */
        String element(boolean withValue) {
            String key = port.hostIp() == null ? Integer.toString(port.hostPort())
                    : port.hostIp().getHostAddress() + " . " + port.hostPort();
            String map = port.protocol() + (port.hostIp() == null ? "_any" : "_addr");
            return map + " { " + key + (withValue ? " : " + to.getHostAddress() + " . " + port.containerPort() : "") + " }";
        }
    }

    /** A line each: "PROTOCOL HOSTIP HOSTPORT ADDRESS CONTAINERPORT" (HOSTIP 0.0.0.0 for all). */
    static String encode(List<Forward> forwards) {
        StringBuilder sb = new StringBuilder();
        for (Forward f : forwards) {
            PortMapping p = f.port();
            sb.append(p.protocol()).append(' ').append(p.hostIp() == null ? "0.0.0.0" : p.hostIp().getHostAddress()).append(' ')
                    .append(p.hostPort()).append(' ').append(f.to().getHostAddress()).append(' ').append(p.containerPort()).append('\n');
        }
        return sb.toString();
    }

    private List<Forward> read(String id) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(id), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return decode(lines);
    }

    static List<Forward> decode(List<String> lines) {
        List<Forward> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.strip().split(" ");
            if (f.length != 5) {
                continue;
            }
            try {
                // literals only: no name is looked up
                Inet4Address host = (Inet4Address) InetAddress.getByName(f[1]);
                out.add(new Forward(new PortMapping(host.isAnyLocalAddress() ? null : host, Integer.parseInt(f[2]),
                        Integer.parseInt(f[4]), f[0]), (Inet4Address) InetAddress.getByName(f[3])));
            } catch (IOException | RuntimeException e) {
                // a damaged line: skipped
            }
        }
        return out;
    }
}
