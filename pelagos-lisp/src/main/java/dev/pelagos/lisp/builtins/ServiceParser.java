package dev.pelagos.lisp.builtins;

import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.value.Int;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Real;
import dev.pelagos.lisp.value.ServiceSpec;
import dev.pelagos.lisp.value.ServiceSpec.HealthCheck;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code (service name (key value...)...)}: validates every option (REFERENCE §2.9 with
 * DECISIONS §A6/§A7: {@code bind} is read-write, {@code bind-ro} read-only, and {@code ready},
 * {@code restart} and {@code stop-grace-period} exist) and builds a {@link ServiceSpec}.
 */
final class ServiceParser {
    private static final Set<String> RESTART_POLICIES = Set.of("no", "on-failure", "always");

    private String image;
    private final List<String> networks = new ArrayList<>();
    private final List<ServiceSpec.EnvVar> env = new ArrayList<>();
    private final List<ServiceSpec.PortMapping> ports = new ArrayList<>();
    private final List<ServiceSpec.Dependency> dependsOn = new ArrayList<>();
    private String memory;
    private String cpus;
    private List<String> command;
    private String workdir;
    private String user;
    private final List<ServiceSpec.VolumeMount> volumes = new ArrayList<>();
    private final List<ServiceSpec.BindMount> binds = new ArrayList<>();
    private final List<String> tmpfs = new ArrayList<>();
    private final List<String> capAdd = new ArrayList<>();
    private final List<String> capDrop = new ArrayList<>();
    private HealthCheck ready;
    private String restart;
    private String stopGrace;
    private final List<ServiceSpec.Option> options = new ArrayList<>();

    private ServiceParser() {
    }

    static ServiceSpec parse(Value[] a) throws LispRuntimeException {
        String name = Registry.name("service", a[0]);
        ServiceParser p = new ServiceParser();
        for (int i = 1; i < a.length; i++) {
            p.option(a[i]);
        }
        if (p.image == null) {
            throw new LispRuntimeException("service '" + name + "': missing (image ...) option");
        }
        return new ServiceSpec(name, p.image, p.networks, p.env, p.ports, p.dependsOn, p.memory, p.cpus, p.command,
                p.workdir, p.user, p.volumes, p.binds, p.tmpfs, p.capAdd, p.capDrop, p.ready, p.restart, p.stopGrace,
                p.options);
    }

    private void option(Value opt) throws LispRuntimeException {
        if (opt == Nil.NIL) {
            return;
        }
        List<Value> parts = opt instanceof Pair ? Values.toList(opt) : null;
        if (parts == null) {
            throw new LispRuntimeException("service option must be a list, got " + opt.typeName());
        }
        String key = switch (parts.getFirst()) {
            case Sym s -> s.name().startsWith(":") ? s.name().substring(1) : s.name();
            case Str s -> s.value();
            default -> throw new LispRuntimeException("service option key must be a symbol or string, got "
                    + parts.getFirst().typeName());
        };
        List<Value> v = parts.subList(1, parts.size());
        options.add(new ServiceSpec.Option(key, v));
        switch (key) {
            case "image" -> image = text(key, one(key, v));
            case "network" -> {
                for (Value x : v) {
                    networks.add(text(key, x));
                }
            }
            case "env" -> {
                count(key, v, 2);
                env.add(new ServiceSpec.EnvVar(text(key, v.get(0)), text(key, v.get(1))));
            }
            case "port" -> {
                count(key, v, 2);
                ports.add(new ServiceSpec.PortMapping(port("port host", v.get(0)), port("port container", v.get(1))));
            }
            case "depends-on" -> {
                if (v.isEmpty() || v.size() > 2) {
                    throw new LispRuntimeException("depends-on: expected a service and an optional port");
                }
                Integer p = null;
                if (v.size() == 2) {
                    if (!(v.get(1) instanceof Int)) {
                        throw new LispRuntimeException("depends-on: optional second arg must be a port number");
                    }
                    p = port("depends-on", v.get(1));
                }
                dependsOn.add(new ServiceSpec.Dependency(text(key, v.get(0)), p));
            }
            case "memory" -> memory = text(key, one(key, v));
            case "cpus" -> cpus = v.size() == 1 && (v.get(0) instanceof Int || v.get(0) instanceof Real)
                    ? Printer.write(v.get(0)) : text(key, one(key, v));
            case "command" -> {
                List<String> argv = new ArrayList<>();
                for (Value x : v) {
                    argv.add(x instanceof Int || x instanceof Real ? Printer.write(x) : text(key, x));
                }
                command = argv;
            }
            case "workdir" -> workdir = text(key, one(key, v));
            case "user" -> user = v.size() == 1 && v.get(0) instanceof Int i ? Long.toString(i.value())
                    : text(key, one(key, v));
            case "volume" -> {
                count(key, v, 2);
                volumes.add(new ServiceSpec.VolumeMount(text(key, v.get(0)), text(key, v.get(1))));
            }
            case "bind", "bind-rw", "bind-ro" -> {
                count(key, v, 2);
                binds.add(new ServiceSpec.BindMount(text(key, v.get(0)), text(key, v.get(1)), key.equals("bind-ro")));
            }
            case "tmpfs" -> tmpfs.add(text(key, one(key, v)));
            case "cap-add" -> {
                for (Value x : v) {
                    capAdd.add(text(key, x));
                }
            }
            case "cap-drop" -> {
                for (Value x : v) {
                    capDrop.add(text(key, x));
                }
            }
            case "ready" -> ready = v.size() == 1 && v.get(0) instanceof Pair ? check(v.get(0)) : check(Values.list(v));
            case "restart" -> {
                String policy = text(key, one(key, v));
                if (!RESTART_POLICIES.contains(policy)) {
                    throw new LispRuntimeException("restart: unknown policy '" + policy
                            + "' (expected \"no\", \"on-failure\" or \"always\")");
                }
                restart = policy;
            }
            case "stop-grace-period" -> {
                Value g = one(key, v);
                stopGrace = g instanceof Int i && i.value() >= 0 ? i.value() + "s" : text(key, g);
            }
            default -> throw new LispRuntimeException("service: unknown option '" + key + "'");
        }
    }

    /** A readiness check written as data: (port N), (http "URL"), (cmd "a b") / (cmd "a" "b"), (and ...), (or ...). */
    private static HealthCheck check(Value form) throws LispRuntimeException {
        List<Value> parts = Values.toList(form);
        if (parts == null || parts.isEmpty() || !(parts.getFirst() instanceof Sym head)) {
            throw new LispRuntimeException("ready: expected (port N), (http URL), (cmd ...), (and ...) or (or ...), got "
                    + Printer.write(form));
        }
        List<Value> args = parts.subList(1, parts.size());
        switch (head.name()) {
            case "port" -> {
                return new ServiceSpec.PortCheck(port("ready port", one("ready port", args)));
            }
            case "http" -> {
                String url = text("ready http", one("ready http", args));
                if (!url.startsWith("http://")) {
                    throw new LispRuntimeException("ready http: expected an http:// URL, got \"" + url + "\"");
                }
                return new ServiceSpec.HttpCheck(url);
            }
            case "cmd" -> {
                if (args.isEmpty()) {
                    throw new LispRuntimeException("ready cmd: expected a command");
                }
                List<String> argv = new ArrayList<>();
                if (args.size() == 1) {
                    for (String w : text("ready cmd", args.getFirst()).trim().split("\\s+")) {
                        argv.add(w);
                    }
                } else {
                    for (Value x : args) {
                        argv.add(text("ready cmd", x));
                    }
                }
                return new ServiceSpec.CmdCheck(argv);
            }
            case "and", "or" -> {
                List<HealthCheck> checks = new ArrayList<>();
                for (Value x : args) {
                    checks.add(check(x));
                }
                if (checks.isEmpty()) {
                    throw new LispRuntimeException("ready " + head.name() + ": expected at least one check");
                }
                return head.name().equals("and") ? new ServiceSpec.AllOf(checks) : new ServiceSpec.AnyOf(checks);
            }
            default -> throw new LispRuntimeException("ready: unknown check '" + head.name() + "'");
        }
    }

    private static Value one(String key, List<Value> v) throws LispRuntimeException {
        count(key, v, 1);
        return v.getFirst();
    }

    private static void count(String key, List<Value> v, int n) throws LispRuntimeException {
        if (v.size() != n) {
            throw new LispRuntimeException(key + ": expected " + n + (n == 1 ? " value" : " values") + ", got "
                    + v.size());
        }
    }

    private static String text(String key, Value v) throws LispRuntimeException {
        return switch (v) {
            case Str s -> s.value();
            case Sym s -> s.name();
            default -> throw Registry.typeError(key, "string or symbol", v);
        };
    }

    private static int port(String what, Value v) throws LispRuntimeException {
        long p;
        if (v instanceof Int i) {
            p = i.value();
        } else if (v instanceof Str s && s.value().matches("[0-9]{1,9}")) {
            p = Long.parseLong(s.value());
        } else {
            throw Registry.typeError(what, "port number", v);
        }
        if (p < 0 || p > 65535) {
            throw new LispRuntimeException(what + ": port out of range");
        }
        return (int) p;
    }
}
