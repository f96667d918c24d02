package dev.pelagos.lisp.builtins;

import static dev.pelagos.lisp.builtins.Registry.name;

import dev.pelagos.lisp.ComposeRequest;
import dev.pelagos.lisp.LispHost;
import dev.pelagos.lisp.LispRuntimeException;
import dev.pelagos.lisp.value.ComposeSpec;
import dev.pelagos.lisp.value.NetworkSpec;
import dev.pelagos.lisp.value.Nil;
import dev.pelagos.lisp.value.Pair;
import dev.pelagos.lisp.value.Printer;
import dev.pelagos.lisp.value.Procedure;
import dev.pelagos.lisp.value.ServiceSpec;
import dev.pelagos.lisp.value.Str;
import dev.pelagos.lisp.value.Sym;
import dev.pelagos.lisp.value.Value;
import dev.pelagos.lisp.value.Values;
import dev.pelagos.lisp.value.VolumeSpec;
import java.util.ArrayList;
import java.util.List;

/** The always-available Pelagos builtins of REFERENCE §2.7: they build plain data, nothing runs. */
final class DomainBuiltins {
    private DomainBuiltins() {
    }

    static void install(Registry r, LispHost host, DomainState state) {
        r.def("service", 1, -1, a -> ServiceParser.parse(a));
        r.def("network", 1, -1, a -> {
            String n = name("network", a[0]);
            String subnet = null;
            for (int i = 1; i < a.length; i++) {
                List<Value> opt = Values.toList(a[i]);
                if (opt != null && opt.size() == 2 && opt.get(0) instanceof Sym s && s.name().equals("subnet")) {
                    subnet = name("network", opt.get(1));
                }
            }
            return new NetworkSpec(n, subnet);
        });
        r.def("volume", 1, 1, a -> new VolumeSpec(name("volume", a[0])));
        r.def("compose", 0, -1, a -> {
            List<ServiceSpec> services = new ArrayList<>();
            List<NetworkSpec> networks = new ArrayList<>();
            List<VolumeSpec> volumes = new ArrayList<>();
            for (Value v : a) {
                collect(v, services, networks, volumes);
            }
            return new ComposeSpec(services, networks, volumes);
        });
        r.def("compose-up", 1, 3, a -> {
            if (!(a[0] instanceof ComposeSpec spec)) {
                throw Registry.typeError("compose-up", "compose-spec", a[0]);
            }
            String project = null;
            if (a.length > 1) {
                if (!(a[1] instanceof Str || a[1] instanceof Sym)) {
                    throw new LispRuntimeException("compose-up: project must be a string or symbol, got "
                            + a[1].typeName());
                }
                project = name("compose-up", a[1]);
            }
            boolean foreground = a.length > 2 && Values.truthy(a[2]);
            state.setComposeUp(new ComposeRequest(spec, project, foreground));
            return Nil.NIL;
        });
        r.def("on-ready", 2, 2, a -> {
            String svc = name("on-ready", a[0]);
            if (!(a[1] instanceof Procedure p)) {
                throw new LispRuntimeException("on-ready: second argument must be a procedure, got "
                        + a[1].typeName());
            }
            state.addHook(svc, p);
            return Nil.NIL;
        });
        r.def("env", 1, 1, a -> {
            String v = host.getenv(Registry.string("env", a[0]));
            return v == null ? Nil.NIL : new Str(v);
        });
        r.def("log", 0, -1, a -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(Printer.display(a[i]));
            }
            host.log(sb.toString());
            return Nil.NIL;
        });
        r.def("%define-service-expand", 3, 3, a -> DefineServiceExpander.expand(a[0], a[1], a[2]));
    }

    private static void collect(Value v, List<ServiceSpec> services, List<NetworkSpec> networks,
            List<VolumeSpec> volumes) throws LispRuntimeException {
        switch (v) {
            case ServiceSpec s -> services.add(s);
            case NetworkSpec n -> networks.add(n);
            case VolumeSpec vol -> volumes.add(vol);
            case Nil n -> {
            }
            case Pair p -> {
                Value cur = p;
                while (cur instanceof Pair cell) {
                    collect(cell.car(), services, networks, volumes);
                    cur = cell.cdr();
                }
                collect(cur, services, networks, volumes);
            }
            default -> throw new LispRuntimeException("compose: unexpected value " + Printer.write(v) + " ("
                    + v.typeName() + ")");
        }
    }
}
