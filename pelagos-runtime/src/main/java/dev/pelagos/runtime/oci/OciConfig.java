package dev.pelagos.runtime.oci;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * An OCI bundle's {@code config.json} (runtime-spec 1.x), as records per spec section. Absent
 * properties are null; unknown properties are ignored, as the spec requires. Read it with
 * {@link OciConfigReader}; check it with {@link ConfigValidator}.
 */
public record OciConfig(String ociVersion, Process process, Root root, String hostname, String domainname,
        List<Mount> mounts, Hooks hooks, Map<String, String> annotations, Linux linux) {

    public record Root(String path, Boolean readonly) {
    }

    public record Process(Boolean terminal, ConsoleSize consoleSize, User user, List<String> args, String commandLine,
            List<String> env, String cwd, Capabilities capabilities, List<Rlimit> rlimits, Boolean noNewPrivileges,
            String apparmorProfile, Integer oomScoreAdj, String selinuxLabel, IoPriority ioPriority) {
    }

    public record ConsoleSize(Long height, Long width) {
    }

    public record IoPriority(String clazz, Integer priority) {
    }

    public record User(Long uid, Long gid, Integer umask, List<Long> additionalGids, String username) {
    }

    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
            List<String> permitted, List<String> ambient) {
    }

    /** Values are uint64 in the spec (RLIM_INFINITY is 2^64-1), hence BigInteger. */
    public record Rlimit(String type, BigInteger hard, BigInteger soft) {
    }

    public record Mount(String destination, String source, String type, List<String> options,
            List<IdMapping> uidMappings, List<IdMapping> gidMappings) {
    }

    public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
            List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {
    }

    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    }

    public record Linux(List<IdMapping> uidMappings, List<IdMapping> gidMappings, Map<String, String> sysctl,
            Resources resources, String cgroupsPath, List<Namespace> namespaces, List<Device> devices,
            JsonObject seccomp, String rootfsPropagation, List<String> maskedPaths, List<String> readonlyPaths,
            String mountLabel, Personality personality, JsonObject intelRdt, JsonObject timeOffsets) {
    }

    public record IdMapping(Long containerID, Long hostID, Long size) {
    }

    public record Namespace(String type, String path) {
    }

    public record Device(String type, String path, Long major, Long minor, Integer fileMode, Long uid, Long gid) {
    }

    public record Personality(String domain, List<String> flags) {
    }

    public record Resources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIO blockIO,
            List<JsonObject> hugepageLimits, JsonObject network, JsonObject rdma, Map<String, String> unified) {
    }

    public record DeviceRule(Boolean allow, String type, Long major, Long minor, String access) {
    }

    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, Long swappiness,
            Boolean disableOOMKiller, Boolean useHierarchy, Boolean checkBeforeUpdate) {
    }

    public record Cpu(Long shares, Long quota, Long burst, Long period, Long realtimeRuntime, Long realtimePeriod,
            String cpus, String mems, Long idle) {
    }

    public record Pids(Long limit) {
    }

    public record BlockIO(Integer weight, Integer leafWeight, List<WeightDevice> weightDevice,
            List<ThrottleDevice> throttleReadBpsDevice, List<ThrottleDevice> throttleWriteBpsDevice,
            List<ThrottleDevice> throttleReadIOPSDevice, List<ThrottleDevice> throttleWriteIOPSDevice) {
    }

    public record WeightDevice(Long major, Long minor, Integer weight, Integer leafWeight) {
    }

    public record ThrottleDevice(Long major, Long minor, Long rate) {
    }
}
