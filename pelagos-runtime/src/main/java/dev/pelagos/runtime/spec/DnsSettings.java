package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a container names things, Docker's flags: {@code --network-alias} (more names it answers to
 * on its bridge networks), {@code --dns} (the resolvers asked about names that are not
 * containers'), {@code --dns-search}, {@code --dns-option} and {@code --add-host} (lines of its
 * /etc/hosts; {@code host-gateway} stands for the host's address on its first network).
 */
public record DnsSettings(List<String> aliases, List<String> servers, List<String> search, List<String> options,
        List<HostEntry> extraHosts) {
    /** The address {@code --add-host NAME:host-gateway} maps to the host's address on the container's first network. */
    public static final String HOST_GATEWAY = "host-gateway";
    public static final DnsSettings NONE = new DnsSettings(List.of(), List.of(), List.of(), List.of(), List.of());
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,62})");
    /** Dot-separated labels of letters, digits, '-' and '_' (not at a label's ends), up to 253 characters. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
    private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9-]*(:\\d{1,4})?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    /** An /etc/hosts line: a name and its address (or {@link #HOST_GATEWAY}). */
    public record HostEntry(String host, String address) {
    }

    public DnsSettings {
        aliases = List.copyOf(aliases);
        servers = List.copyOf(servers);
        search = List.copyOf(search);
        options = List.copyOf(options);
        extraHosts = List.copyOf(extraHosts);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    static boolean isAddress(String s) {
        return IPV4.matcher(s).matches() || IPV6.matcher(s).matches();
    }

    /** Collects the flags, each checked as it comes. */
    public static final class Builder {
        private final List<String> aliases = new ArrayList<>();
        private final List<String> servers = new ArrayList<>();
        private final List<String> search = new ArrayList<>();
        private final List<String> options = new ArrayList<>();
        private final List<HostEntry> extraHosts = new ArrayList<>();

        public Builder alias(String alias) throws PelagosException {
            if (!LABEL_NAME.matcher(alias).matches()) {
                throw PelagosException.invalid("invalid --network-alias '" + alias + "'", "use up to 63 letters, digits, '_', '-' and '.'");
            }
            if (!aliases.contains(alias)) {
                aliases.add(alias);
            }
            return this;
        }

        public Builder server(String address) throws PelagosException {
            if (!IPV4.matcher(address).matches()) {
                throw PelagosException.invalid("invalid --dns '" + address + "'", "give an IPv4 address, e.g. --dns 10.0.0.2");
            }
            servers.add(address);
            return this;
        }

        public Builder search(String domain) throws PelagosException {
            if (!domain.equals(".") && !DOMAIN.matcher(domain).matches()) {
                throw PelagosException.invalid("invalid --dns-search '" + domain + "'", "give a domain name, e.g. example.com (. for none)");
            }
            search.add(domain);
            return this;
        }

        public Builder option(String option) throws PelagosException {
            if (!OPTION.matcher(option).matches()) {
                throw PelagosException.invalid("invalid --dns-option '" + option + "'", "give a resolv.conf option, e.g. ndots:2 or edns0");
            }
            options.add(option);
            return this;
        }

        /** {@code NAME:ADDRESS} or {@code NAME=ADDRESS}; ADDRESS is an IP address or {@value #HOST_GATEWAY}. */
        public Builder addHost(String spec) throws PelagosException {
            int at = spec.indexOf('=') > 0 ? spec.indexOf('=') : spec.indexOf(':');
            String host = at > 0 ? spec.substring(0, at) : "";
            String address = at > 0 ? spec.substring(at + 1) : "";
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            if (!DOMAIN.matcher(host).matches() || !(address.equals(HOST_GATEWAY) || isAddress(address))) {
                throw PelagosException.invalid("invalid --add-host '" + spec + "'",
                        "give NAME:ADDRESS, e.g. db.local:10.0.0.5 or host.docker.internal:host-gateway");
            }
            extraHosts.add(new HostEntry(host, address));
            return this;
        }

        /**
         * The settings; aliases and {@code host-gateway} need a bridge network (only there does the
         * container have names to share, and a host address to point at).
         */
        public DnsSettings build(NetworkMode network) throws PelagosException {
            if (network != NetworkMode.BRIDGE) {
                if (!aliases.isEmpty()) {
                    throw PelagosException.invalid("--network-alias needs a bridge network",
                            "add --network bridge or --network NAME (a network of 'pelagos network create')");
                }
                if (extraHosts.stream().anyMatch(h -> h.address().equals(HOST_GATEWAY))) {
                    throw PelagosException.invalid("--add-host ...:host-gateway needs a bridge network (the host has no address on this one)",
                            "add --network bridge, or give the address itself");
                }
            }
            return new DnsSettings(aliases, servers, search, options, extraHosts);
        }
    }
}
