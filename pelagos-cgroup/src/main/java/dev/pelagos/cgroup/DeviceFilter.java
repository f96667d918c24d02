package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * What a v1 {@code devices} cgroup lets through, modelled as the kernel keeps it: a default (allow
 * or deny every device) and a list of exceptions, each a device match with the access letters that
 * differ from the default. A rule of type 'a' resets both; any other rule adds to the exceptions
 * (when it goes against the default) or takes access letters away from the exactly matching one.
 *
 * <p>The point of modelling it is {@link #transitionTo}: the few writes that turn the current
 * state into the wanted one, so that changing the rules of a running container never passes
 * through "allow everything" or "deny everything" when it does not have to.
 */
public final class DeviceFilter {
    /**
     * A device match. equals/hashCode are written out: a record's generated ones are bootstrapped
     * (ObjectMethods) on first use, ~10 ms that every OCI create would pay in a fresh JVM.
     */
    private record Match(char type, long major, long minor) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Match m && m.type == type && m.major == major && m.minor == minor;
        }

        @Override
        public int hashCode() {
            return (type * 31 + Long.hashCode(major)) * 31 + Long.hashCode(minor);
        }
    }

    private boolean defaultAllow;
    // in the order the rules first granted (or denied) each: the spec wants the rules applied in
    // their listed order, and devices.list shows the kernel's exceptions in the order they were added
    private final Map<Match, String> exceptions = new LinkedHashMap<>();

    private DeviceFilter(boolean defaultAllow) {
        this.defaultAllow = defaultAllow;
    }

    /** The state the rules build when applied in order to a cgroup that denies everything. */
    public static DeviceFilter of(List<DeviceRule> rules) throws PelagosException {
        DeviceFilter f = new DeviceFilter(false);
        for (DeviceRule r : rules) {
            f.apply(r);
        }
        return f;
    }

    /**
     * The state a {@code devices.list} shows. It lists what is allowed: "a *:* rwm" alone means
     * the default is allow, and then the deny exceptions cannot be known (the kernel does not
     * show them), so such a state is always replaced wholesale by a transition.
     */
    public static DeviceFilter fromList(String devicesList) throws PelagosException {
        DeviceFilter f = new DeviceFilter(false);
        for (String line : devicesList.split("\n")) {
            if (!line.isBlank()) {
                f.apply(DeviceRule.parseListLine(line));
            }
        }
        return f;
    }

    public boolean defaultAllow() {
        return defaultAllow;
    }

    /** Applies one rule as the kernel would; a deny the kernel would silently ignore is an error. */
    public void apply(DeviceRule rule) throws PelagosException {
        if (rule.type() == 'a') {
            defaultAllow = rule.allow();
            exceptions.clear();
            return;
        }
        Match m = new Match(rule.type(), rule.major(), rule.minor());
        if (rule.allow() != defaultAllow) {
            exceptions.merge(m, rule.access(), DeviceFilter::union);
            return;
        }
        // taking access away: the kernel only edits the exception with exactly this match, so a
        // wider exception (a '*' major or minor) would go on granting it; say so rather than
        // leave the device open
        for (Match wider : List.of(new Match(m.type, DeviceRule.ANY, m.minor), new Match(m.type, m.major, DeviceRule.ANY),
                new Match(m.type, DeviceRule.ANY, DeviceRule.ANY))) {
            String widerAccess = exceptions.get(wider);
            if (!wider.equals(m) && widerAccess != null && !intersection(widerAccess, rule.access()).isEmpty()) {
                throw PelagosException.invalid("the device rule '" + rule + "' cannot be applied: the rule '"
                        + new DeviceRule(!defaultAllow, wider.type, wider.major, wider.minor, widerAccess)
                        + "' before it covers the same device, and the v1 devices cgroup cannot cut a hole in it",
                        "allow the devices one by one instead of by the wildcard, leaving this one out");
            }
        }
        String left = difference(exceptions.getOrDefault(m, ""), rule.access());
        if (left.isEmpty()) {
            exceptions.remove(m);
        } else {
            exceptions.put(m, left);
        }
    }

    /**
     * The rules to write, in order, to turn a cgroup in this state into {@code target}. A default
     * that differs (or an allow-all source, whose deny exceptions are unknown) needs the one
     * disruptive 'a' rule first; otherwise only the exceptions that differ are written, access
     * taken away before access granted, each in the order of the rules.
     */
    public List<DeviceRule> transitionTo(DeviceFilter target) {
        List<DeviceRule> out = new ArrayList<>();
        Map<Match, String> old = exceptions;
        if (defaultAllow || defaultAllow != target.defaultAllow) {
            out.add(new DeviceRule(target.defaultAllow, 'a', DeviceRule.ANY, DeviceRule.ANY, "rwm"));
            old = Map.of();
        }
        for (Map.Entry<Match, String> e : old.entrySet()) {
            String dropped = difference(e.getValue(), target.exceptions.getOrDefault(e.getKey(), ""));
            if (!dropped.isEmpty()) {
                out.add(rule(target.defaultAllow, e.getKey(), dropped));
            }
        }
        for (Map.Entry<Match, String> e : target.exceptions.entrySet()) {
            String gained = difference(e.getValue(), old.getOrDefault(e.getKey(), ""));
            if (!gained.isEmpty()) {
                out.add(rule(!target.defaultAllow, e.getKey(), gained));
            }
        }
        return out;
    }

    /** The exceptions as rules against the default, for tests and messages. */
    public List<DeviceRule> exceptions() {
        List<DeviceRule> out = new ArrayList<>();
        exceptions.forEach((m, a) -> out.add(rule(!defaultAllow, m, a)));
        return out;
    }

    private static DeviceRule rule(boolean allow, Match m, String access) {
        return new DeviceRule(allow, m.type, m.major, m.minor, access);
    }

    private static String union(String a, String b) {
        return DeviceRule.normalAccess(a + b);
    }

    private static String difference(String a, String b) {
        StringBuilder s = new StringBuilder();
        for (char c : a.toCharArray()) {
            if (b.indexOf(c) < 0) {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static String intersection(String a, String b) {
        StringBuilder s = new StringBuilder();
        for (char c : a.toCharArray()) {
            if (b.indexOf(c) >= 0) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
