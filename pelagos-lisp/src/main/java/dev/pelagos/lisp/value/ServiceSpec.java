package dev.pelagos.lisp.value;

import java.util.List;
import java.util.Objects;

/**
 * A service as the Lisp {@code service} builtin describes it (REFERENCE §2.9, DECISIONS §A6/§A7).
 * Pure data: compose turns it into a container. Every list keeps the order of the options; nullable
 * fields are null when the option was not given. {@link #options()} keeps every option as written,
 * for consumers that want the raw form.
 */
public record ServiceSpec(String name, String image, List<String> networks, List<EnvVar> env, List<PortMapping> ports,
        List<Dependency> dependsOn, String memory, String cpus, List<String> command, String workdir, String user,
        List<VolumeMount> volumes, List<BindMount> binds, List<String> tmpfs, List<String> capAdd,
        List<String> capDrop, HealthCheck ready, String restart, String stopGracePeriod, List<Option> options)
        implements Value {

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        networks = List.copyOf(networks);
        env = List.copyOf(env);
        ports = List.copyOf(ports);
        dependsOn = List.copyOf(dependsOn);
        command = command == null ? null : List.copyOf(command);
        volumes = List.copyOf(volumes);
        binds = List.copyOf(binds);
        tmpfs = List.copyOf(tmpfs);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        options = List.copyOf(options);
    }

    /** One {@code (env KEY VALUE)}. */
    public record EnvVar(String key, String value) {
    }

    /** One {@code (port HOST CONTAINER)}, TCP. */
    public record PortMapping(int host, int container) {
    }

    /** One {@code (depends-on SVC [PORT])}; port is null when no TCP readiness check was asked for. */
    public record Dependency(String service, Integer port) {
    }

    /** A named volume (project-scoped by compose) mounted at {@code path}. */
    public record VolumeMount(String volume, String path) {
    }

    /** A bind mount; relative host paths are resolved by compose against the compose file's directory. */
    public record BindMount(String host, String container, boolean readOnly) {
    }

    /** An option exactly as written: its key and its (evaluated) values. */
    public record Option(String key, List<Value> values) {
        public Option {
            values = List.copyOf(values);
        }
    }

    /** A readiness check from {@code (ready ...)} (DECISIONS §A7). */
    public sealed interface HealthCheck permits PortCheck, HttpCheck, CmdCheck, AllOf, AnyOf {
    }

    /** TCP connect to the service's IP on this port. */
    public record PortCheck(int port) implements HealthCheck {
    }

    /** HTTP GET; a 2xx answer passes. */
    public record HttpCheck(String url) implements HealthCheck {
    }

    /** Run argv inside the container; exit 0 passes. */
    public record CmdCheck(List<String> argv) implements HealthCheck {
        public CmdCheck {
            argv = List.copyOf(argv);
        }
    }

    /** Every check passes. */
    public record AllOf(List<HealthCheck> checks) implements HealthCheck {
        public AllOf {
            checks = List.copyOf(checks);
        }
    }

    /** At least one check passes. */
    public record AnyOf(List<HealthCheck> checks) implements HealthCheck {
        public AnyOf {
            checks = List.copyOf(checks);
        }
    }

    @Override
    public String typeName() {
        return "service-spec";
    }
}
