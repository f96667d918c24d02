package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;

/**
 * One device cgroup rule, as OCI {@code linux.resources.devices} gives it and the v1 {@code devices}
 * controller takes it ({@code devices.allow}/{@code devices.deny}: "TYPE MAJOR:MINOR ACCESS").
 *
 * @param allow  allow or deny
 * @param type   'a' (every device: the rule switches the default and drops all exceptions),
 *               'c' or 'b'
 * @param major  -1 for any ('*')
 * @param minor  -1 for any ('*')
 * @param access a non-empty subset of "rwm", in that order (read, write, mknod)
 */
public record DeviceRule(boolean allow, char type, long major, long minor, String access) {
    public static final long ANY = -1;

    public DeviceRule {
        if (type != 'a' && type != 'b' && type != 'c') {
            throw new IllegalArgumentException("device type " + type + " is not a, b or c");
        }
        if (major < ANY || minor < ANY) {
            throw new IllegalArgumentException("device numbers must be -1 (any) or more");
        }
        if (access.isEmpty() || !normalAccess(access).equals(access)) {
            throw new IllegalArgumentException("access '" + access + "' is not a non-empty subset of rwm in that order");
        }
    }

    /**
     * An OCI rule: type null or empty means 'a', "u" (unbuffered char) means 'c'; major/minor null
     * mean any; access null or empty means "rwm". Letters other than r, w and m are not access
     * modes the kernel knows and are dropped (the kernel would refuse the whole rule); access
     * with none of them is an error. Type 'p' (FIFOs) has no cgroup rule: null is returned.
     *
     * @param where names the rule in errors, e.g. "linux.resources.devices[1]"
     */
    public static DeviceRule fromOci(String where, boolean allow, String type, Long major, Long minor, String access)
            throws PelagosException {
        String t = type == null || type.isEmpty() ? "a" : type;
        char kind = switch (t) {
            case "a" -> 'a';
            case "b" -> 'b';
            case "c", "u" -> 'c';
            case "p" -> 'p';
            default -> throw PelagosException.invalid(where + ": unknown device type '" + t + "'", "use a, b, c, u or p");
        };
        if (kind == 'p') {
            return null;
        }
        String a = access == null || access.isEmpty() ? "rwm" : normalAccess(access);
        if (a.isEmpty()) {
            throw PelagosException.invalid(where + ": access '" + access + "' has none of r, w, m",
                    "give a combination of r (read), w (write) and m (mknod)");
        }
        long maj = major == null || major < 0 ? ANY : major;
        long min = minor == null || minor < 0 ? ANY : minor;
        return new DeviceRule(allow, kind, maj, min, a);
    }

    /** Parses "TYPE MAJOR:MINOR ACCESS" (a devices.list line, or "a" alone) as an allow rule. */
    public static DeviceRule parseListLine(String line) throws PelagosException {
        String[] f = line.trim().split("\\s+");
        if (f.length == 1 && f[0].equals("a")) {
            return new DeviceRule(true, 'a', ANY, ANY, "rwm");
        }
        String[] mm = f.length == 3 ? f[1].split(":", -1) : new String[0];
        if (f.length != 3 || f[0].length() != 1 || "abc".indexOf(f[0].charAt(0)) < 0 || mm.length != 2
                || normalAccess(f[2]).length() != f[2].length() || f[2].isEmpty()) {
            throw PelagosException.invalid("unexpected devices cgroup rule '" + line + "'", null);
        }
        try {
            return new DeviceRule(true, f[0].charAt(0), number(mm[0]), number(mm[1]), normalAccess(f[2]));
        } catch (NumberFormatException e) {
            throw PelagosException.invalid("unexpected devices cgroup rule '" + line + "'", null);
        }
    }

    /** Parses what {@link #toString} writes: "allow c 1:3 rwm", "deny a *:* rwm". */
    public static DeviceRule parse(String text) throws PelagosException {
        String t = text.trim();
        int space = t.indexOf(' ');
        String verdict = space < 0 ? t : t.substring(0, space);
        if (!verdict.equals("allow") && !verdict.equals("deny")) {
            throw PelagosException.invalid("unexpected device rule '" + text + "'", "write it as 'allow|deny TYPE MAJOR:MINOR ACCESS'");
        }
        DeviceRule r = parseListLine(t.substring(space + 1));
        return new DeviceRule(verdict.equals("allow"), r.type(), r.major(), r.minor(), r.access());
    }

    private static long number(String s) {
        return s.equals("*") ? ANY : Long.parseLong(s);
    }

    /** The r, w and m in {@code access}, in that order, each once. */
    public static String normalAccess(String access) {
        StringBuilder b = new StringBuilder(3);
        for (char c : new char[] {'r', 'w', 'm'}) {
            if (access.indexOf(c) >= 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** "c 1:3 rwm", as written to devices.allow or devices.deny. */
    public String line() {
        return type + " " + (major == ANY ? "*" : Long.toString(major)) + ":" + (minor == ANY ? "*" : Long.toString(minor)) + " "
                + access;
    }

    /** The file of the v1 devices controller this rule goes to. */
    public String file() {
        return allow ? "devices.allow" : "devices.deny";
    }

    @Override
    public String toString() {
        return (allow ? "allow " : "deny ") + line();
    }
}
