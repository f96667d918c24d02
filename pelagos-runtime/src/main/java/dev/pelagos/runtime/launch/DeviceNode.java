package dev.pelagos.runtime.launch;

/** A device node the helper creates in the container's /dev. */
public record DeviceNode(String path, char type, int major, int minor, int mode, int uid, int gid) {
    public static DeviceNode chr(String path, int major, int minor) {
        return new DeviceNode(path, 'c', major, minor, 0666, 0, 0);
    }
}
