package dev.pelagos.runtime.spec;

import dev.pelagos.base.PelagosException;

/**
 * A host device given to a container ({@code --device HOST[:CONTAINER][:PERMISSIONS]}, Docker's
 * syntax): the node is made at {@code containerPath} with the host node's numbers, mode and owner,
 * and the device rules let the container use it with {@code permissions} (a subset of "rwm").
 * A host directory gives every device under it.
 */
public record DeviceRequest(String hostPath, String containerPath, String permissions) {
    public DeviceRequest {
        if (!hostPath.startsWith("/") || !containerPath.startsWith("/")) {
            throw new IllegalArgumentException("device paths must be absolute");
        }
        if (!isPermissions(permissions)) {
            throw new IllegalArgumentException("device permissions '" + permissions + "' are not a subset of rwm");
        }
    }

    /** Parses "HOST", "HOST:CONTAINER", "HOST:PERMS" or "HOST:CONTAINER:PERMS"; the default permissions are rwm. */
    public static DeviceRequest parse(String spec) throws PelagosException {
        String[] f = spec.split(":", -1);
        String host = f[0];
        String container = host;
        String perms = "rwm";
        if (f.length == 2) {
            if (isPermissions(f[1])) {
                perms = f[1];
            } else {
                container = f[1];
            }
        } else if (f.length == 3) {
            container = f[1];
            perms = f[2];
        } else if (f.length > 3) {
            throw bad(spec, "has too many ':'");
        }
        if (!host.startsWith("/")) {
            throw bad(spec, "needs an absolute host path");
        }
        if (!container.startsWith("/")) {
            throw bad(spec, "needs an absolute container path");
        }
        if (!isPermissions(perms)) {
            throw bad(spec, "has permissions '" + perms + "', which are not a combination of r, w and m");
        }
        return new DeviceRequest(host, container, perms);
    }

    private static boolean isPermissions(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("rwm".indexOf(c) < 0 || s.indexOf(c) != i) {
                return false;
            }
        }
        return true;
    }

    private static PelagosException bad(String spec, String why) {
        return PelagosException.invalid("invalid --device '" + spec + "': it " + why,
                "write it as HOST[:CONTAINER][:PERMISSIONS], e.g. /dev/fuse or /dev/sdb:/dev/xvdb:r");
    }
}
