package dev.pelagos.runtime.network;

import com.google.gson.Gson;
import dev.pelagos.base.AtomicFiles;
import dev.pelagos.base.FileLock;
import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bridge networks ({@code pelagos network create|ls|rm|inspect}): one JSON file each under
 * {@code <data>/networks}, so they outlive a reboot, plus the default network, which always exists.
 * Subnets may not overlap: a container on two networks must know which link an address is on.
 */
public final class NetworkStore {
    private static final Gson GSON = new Gson();
    private final Path dir;

    private record Stored(String name, String subnet, String gateway, String bridge, String created) {
    }

    /** @param dataDir PelagosPaths.data */
    public NetworkStore(Path dataDir) {
        this.dir = dataDir.resolve("networks");
    }

    public List<NetworkDef> list() throws PelagosException {
        List<NetworkDef> out = new ArrayList<>(List.of(NetworkDef.defaultNetwork()));
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    out.add(read(f));
                }
            } catch (IOException e) {
                throw PelagosException.io("list the networks in " + dir, e);
            }
        }
        out.sort(Comparator.comparing(NetworkDef::name));
        return out;
    }

    private static NetworkDef read(Path f) throws PelagosException {
        try {
            Stored s = GSON.fromJson(Files.readString(f), Stored.class);
            return new NetworkDef(s.name(), Subnet.parse(s.subnet()), s.bridge(), s.created());
        } catch (IOException | RuntimeException e) {
            throw PelagosException.invalid("network file " + f + " is damaged: " + e.getMessage(), "remove it and create the network again");
        }
    }

    public NetworkDef get(String name) throws PelagosException {
        if (name.equals(NetworkDef.DEFAULT)) {
            return NetworkDef.defaultNetwork();
        }
        NetworkDef.checkName(name);
        Path f = dir.resolve(name + ".json");
        if (!Files.isRegularFile(f)) {
            throw PelagosException.notFound("network '" + name + "' not found",
                    "create it first: pelagos network create " + name + " --subnet CIDR");
        }
        return read(f);
    }

    @SuppressWarnings("try") // the lock is held by the try block, never read
    public NetworkDef create(String name, String cidr) throws PelagosException {
        NetworkDef.checkName(name);
        Subnet subnet = Subnet.parse(cidr);
        try {
            Files.createDirectories(dir);
            try (FileLock lock = FileLock.acquire(dir.resolve(".lock"))) {
                for (NetworkDef n : list()) {
                    if (n.name().equals(name)) {
                        throw PelagosException.conflict("network '" + name + "' already exists", "pick another name, or pelagos network rm " + name);
                    }
                    if (n.subnet().overlaps(subnet)) {
                        throw PelagosException.conflict("subnet " + subnet + " overlaps with network '" + n.name() + "' (" + n.subnet() + ")",
                                "pick a subnet outside " + n.subnet());
                    }
                }
                NetworkDef def = new NetworkDef(name, subnet, "rm-" + name, Instant.now().toString());
                AtomicFiles.write(dir.resolve(name + ".json"), GSON.toJson(new Stored(name, subnet.toString(),
                        subnet.gateway().getHostAddress(), def.bridge(), def.created())));
                return def;
            }
        } catch (IOException e) {
            throw PelagosException.io("create network " + name, e);
        }
    }

    /** Forgets a network; the caller has checked no container is on it and removed its bridge. */
    public void remove(String name) throws PelagosException {
        if (name.equals(NetworkDef.DEFAULT)) {
            throw PelagosException.conflict("the default network 'bridge' cannot be removed", null);
        }
        get(name);
        try {
            Files.deleteIfExists(dir.resolve(name + ".json"));
        } catch (IOException e) {
            throw PelagosException.io("remove network " + name, e);
        }
    }
}
