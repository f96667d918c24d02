package dev.pelagos.runtime.spec;

import dev.pelagos.runtime.seccomp.SeccompChoice;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a user asked for when creating a container, validated but not yet resolved against a
 * root filesystem or the host. {@link dev.pelagos.runtime.launch.Planner} turns it into a
 * concrete launch plan. Build one with {@link ContainerConfigBuilder}.
 *
 * @param rootfs       a directory to use as the root (the {@code --rootfs} mode), or null with an image
 * @param image        an image reference, or null with a rootfs
 * @param command      the command, or empty for the image's default
 * @param entrypoint   an entrypoint override (null: the image's)
 * @param env          KEY=VALUE in the order given (image env is applied first by the planner)
 * @param user         "uid[:gid]" or names, or null for the image's / root
 * @param devices      host devices given to the container ({@code --device})
 * @param deviceCgroupRules further device rules, "TYPE MAJOR:MINOR ACCESS" ({@code --device-cgroup-rule})
 * @param networks     with {@link NetworkMode#BRIDGE}: the bridge networks by name, eth0 first ("bridge": the default one);
 *                     with {@link NetworkMode#CONTAINER}: the one container whose network it shares
 * @param ports        published ports ({@code -p}), on the first network's address
 * @param dns          aliases, resolvers, search domains, resolver options and extra /etc/hosts lines
 */
public record ContainerConfig(
        String name,
        Path rootfs,
        String rootfsLabel,
        String image,
        List<String> command,
        List<String> entrypoint,
        List<String> env,
        String workdir,
        String user,
        List<String> groupAdd,
        String hostname,
        List<MountRequest> mounts,
        boolean readOnly,
        boolean init,
        boolean autoRemove,
        boolean tty,
        boolean interactive,
        NetworkMode network,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        SeccompChoice seccomp,
        boolean noNewPrivileges,
        List<Ulimit> ulimits,
        Map<String, String> sysctls,
        Map<String, String> labels,
        HealthCheck health,
        Map<String, String> resourceFlags,
        String cgroupParent,
        boolean noHealthcheck,
        List<DeviceRequest> devices,
        List<String> deviceCgroupRules,
        List<String> networks,
        List<PortMapping> ports,
        DnsSettings dns) {

    public ContainerConfig {
        command = List.copyOf(command);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        env = List.copyOf(env);
        groupAdd = List.copyOf(groupAdd);
        mounts = List.copyOf(mounts);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        ulimits = List.copyOf(ulimits);
        sysctls = Map.copyOf(sysctls);
        labels = Map.copyOf(labels);
        devices = List.copyOf(devices);
        deviceCgroupRules = List.copyOf(deviceCgroupRules);
        networks = List.copyOf(networks);
        ports = List.copyOf(ports);
        resourceFlags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(resourceFlags));
        if ((rootfs == null) == (image == null)) {
            throw new IllegalArgumentException("exactly one of rootfs and image must be set");
        }
    }
}
