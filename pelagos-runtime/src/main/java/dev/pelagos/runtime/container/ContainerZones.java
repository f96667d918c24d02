package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.dns.DnsZone;
import dev.pelagos.runtime.dns.DnsZones;
import dev.pelagos.runtime.dns.Upstreams;
import dev.pelagos.runtime.network.NetworkAttachment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The zones read from the container store: every running container answers, on each network it
 * is on, to its name, its short id and its aliases (as Docker's embedded DNS does), finds the names
 * of all its networks, and has other names asked of its own resolvers when it was given some. Nothing is registered
 * anywhere: a container that stops stops answering at the next scan, whoever stopped it.
 */
final class ContainerZones implements DnsZones.Source {
    private static final System.Logger LOG = System.getLogger(ContainerZones.class.getName());
    private final ContainerStore store;

    ContainerZones(ContainerStore store) {
        this.store = store;
    }

    @Override
    public DnsZones scan() {
        List<Container> all;
        try {
            all = store.list();
        } catch (PelagosException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list the containers: " + e.getMessage());
            return new DnsZones(Map.of(), true); // keep serving what is known; look again soon
        }
        Map<Inet4Address, String> networkOf = new HashMap<>();
        Map<Inet4Address, Integer> prefixOf = new HashMap<>();
        Map<Inet4Address, Map<String, List<Inet4Address>>> names = new HashMap<>();
        Map<Inet4Address, Map<Inet4Address, String>> reverse = new HashMap<>();
        Map<Inet4Address, List<Inet4Address>> networksOf = new HashMap<>();
        Map<Inet4Address, List<InetSocketAddress>> upstreamsOf = new HashMap<>();
        boolean busy = false;
        for (Container c : all) {
            List<NetworkAttachment.Endpoint> endpoints = c.networkEndpoints();
            if (endpoints.isEmpty()) {
                continue;
            }
            List<Inet4Address> gateways = endpoints.stream().map(NetworkAttachment.Endpoint::gateway).toList();
            List<InetSocketAddress> servers = upstreams(c);
            for (NetworkAttachment.Endpoint e : endpoints) {
                // whatever its status (one being made looks dead until its launcher is noted): newest first,
                // so an address taken over from a stopped container is the new one's
                if (networksOf.putIfAbsent(e.address(), gateways) == null && !servers.isEmpty()) {
                    upstreamsOf.put(e.address(), servers);
                }
            }
            boolean answers = switch (c.status()) {
                case RUNNING, PAUSED -> true;
                default -> false;
            };
            if (!answers && c.status() != ContainerStatus.CREATED) {
                continue;
            }
            busy = true;
            for (NetworkAttachment.Endpoint e : endpoints) {
                // a network with containers is served even before one runs: its first lookups must not fail
                networkOf.put(e.gateway(), e.network());
                prefixOf.put(e.gateway(), e.prefixLength());
                Map<String, List<Inet4Address>> zone = names.computeIfAbsent(e.gateway(), g -> new HashMap<>());
                if (answers) {
                    reverse.computeIfAbsent(e.gateway(), g -> new HashMap<>()).put(e.address(), c.name());
                    List<String> known = new ArrayList<>(List.of(c.name(), c.id().shortId()));
                    known.addAll(c.networkAliases());
                    for (String n : known) {
                        zone.computeIfAbsent(n.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.address());
                    }
                }
            }
        }
        Map<Inet4Address, DnsZone> zones = new HashMap<>();
        names.forEach((gw, n) -> zones.put(gw, new DnsZone(networkOf.get(gw), gw, prefixOf.get(gw), n,
                reverse.getOrDefault(gw, Map.of()))));
        return new DnsZones(zones, networksOf, upstreamsOf, busy);
    }

    private static List<InetSocketAddress> upstreams(Container c) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : c.dnsServers()) {
            try {
                out.add(Upstreams.parse(s));
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.WARNING, c.name() + ": " + e.getMessage());
            }
        }
        return out;
    }
}
