package dev.pelagos.runtime.rootfs;

import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves {@code --user} against the container's own /etc/passwd and /etc/group (never the
 * host's), like Docker: numeric ids need no entry; names must exist; supplementary groups are
 * every group that lists the user; out-of-range ids are refused (CVE-2024-40635 class).
 */
public final class UserResolver {
    /** The largest id we accept; above it ids wrap in places and could become 0. */
    public static final long MAX_ID = Integer.MAX_VALUE;
    private static final int MAX_FILE = 4 << 20;

    /** A resolved identity. {@code home} is the passwd entry's home directory, or "/" when unknown. */
    public record User(int uid, int gid, List<Integer> groups, String home) {
    }

    private UserResolver() {
    }

    /**
     * @param spec       "uid", "uid:gid", "name", "name:group", or null for root
     * @param groupAdd   extra groups (names or ids) to add
     */
    public static User resolve(RootView root, String spec, List<String> groupAdd) throws PelagosException {
        List<String[]> passwd = read(root, "/etc/passwd");
        List<String[]> group = read(root, "/etc/group");
        String userPart = spec == null ? "0" : spec;
        String groupPart = null;
        int colon = userPart.indexOf(':');
        if (colon >= 0) {
            groupPart = userPart.substring(colon + 1);
            userPart = userPart.substring(0, colon);
        }
        int uid;
        int gid = 0;
        String name = null;
        String home = "/";
        Optional<String[]> entry;
        if (isNumber(userPart)) {
            uid = id("user", userPart);
            entry = passwd.stream().filter(e -> e.length > 3 && e[2].equals(Integer.toString(uid))).findFirst();
        } else {
            String n = userPart;
            entry = passwd.stream().filter(e -> e.length > 3 && e[0].equals(n)).findFirst();
            if (entry.isEmpty()) {
                throw PelagosException.notFound("unable to find user " + userPart + ": no matching entries in the container's /etc/passwd",
                        "use a numeric UID[:GID], or a user that exists in the image");
            }
            uid = id("user", entry.get()[2]);
        }
        if (entry.isPresent()) {
            name = entry.get()[0];
            gid = id("group", entry.get()[3]);
            if (entry.get().length > 5 && !entry.get()[5].isEmpty()) {
                home = entry.get()[5];
            }
        }
        if (groupPart != null) {
            gid = groupId(group, groupPart);
        }
        Set<Integer> groups = new LinkedHashSet<>();
        if (name != null && groupPart == null) {
            for (String[] g : group) {
                if (g.length > 3 && List.of(g[3].split(",")).contains(name)) {
                    groups.add(id("group", g[2]));
                }
            }
        }
        for (String g : groupAdd) {
            groups.add(groupId(group, g));
        }
        groups.remove(gid);
        List<Integer> all = new ArrayList<>();
        all.add(gid);
        all.addAll(groups);
        return new User(uid, gid, all, home);
    }

    private static int groupId(List<String[]> group, String g) throws PelagosException {
        if (isNumber(g)) {
            return id("group", g);
        }
        Optional<String[]> entry = group.stream().filter(e -> e.length > 2 && e[0].equals(g)).findFirst();
        if (entry.isEmpty()) {
            throw PelagosException.notFound("unable to find group " + g + ": no matching entries in the container's /etc/group",
                    "use a numeric GID, or a group that exists in the image");
        }
        return id("group", entry.get()[2]);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static int id(String what, String s) throws PelagosException {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > MAX_ID) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw PelagosException.invalid(what + " id " + s + " is out of range", "ids must be between 0 and " + MAX_ID);
        }
    }

    private static List<String[]> read(RootView root, String path) throws PelagosException {
        try {
            Optional<byte[]> data = root.readFile(path, MAX_FILE);
            List<String[]> out = new ArrayList<>();
            if (data.isPresent()) {
                for (String line : new String(data.get(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        out.add(line.split(":", -1));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw PelagosException.io("read " + path + " of the container", e);
        }
    }
}
