package dev.pelagos.cli.args;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A parsed command line: flag values by key, and the positional arguments in order. */
public final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();
    private final String command;

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code argv} against {@code options}. Supports {@code --flag value}, {@code --flag=value},
     * {@code -f value}, {@code -fvalue}, bundled short booleans ({@code -it}) and {@code --}.
     *
     * @param command the full command name for error messages, e.g. "pelagos run"
     */
    public static Args parse(String command, Options options, List<String> argv) throws UsageException {
        Args a = new Args(command);
        boolean onlyPositionals = false;
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (onlyPositionals || arg.equals("-") || !arg.startsWith("-")) {
                a.positionals.add(arg);
                if (!options.optionsAnywhere()) {
                    onlyPositionals = true;
                }
                continue;
            }
            if (arg.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                Options.Option o = a.known(options, name);
                if (o.takesValue()) {
                    String v;
                    if (eq >= 0) {
                        v = arg.substring(eq + 1);
                    } else if (i + 1 < argv.size()) {
                        v = argv.get(++i);
                    } else {
                        throw a.missingValue(name);
                    }
                    a.put(o, v);
                } else {
                    if (eq >= 0) {
                        String v = arg.substring(eq + 1);
                        if (v.equals("false")) {
                            a.values.remove(o.key());
                            continue;
                        }
                        if (!v.equals("true")) {
                            throw new UsageException("option '" + name + "' takes no value, got '" + v + "'", a.helpHint());
                        }
                    }
                    a.put(o, "true");
                }
                continue;
            }
            // short option(s): -d, -it, -e K=V, -eK=V
            for (int j = 1; j < arg.length(); j++) {
                String name = "-" + arg.charAt(j);
                Options.Option o = a.known(options, name);
                if (o.takesValue()) {
                    String rest = arg.substring(j + 1);
                    if (rest.startsWith("=")) {
                        rest = rest.substring(1);
                    }
                    if (!rest.isEmpty()) {
                        a.put(o, rest);
                    } else if (i + 1 < argv.size()) {
                        a.put(o, argv.get(++i));
                    } else {
                        throw a.missingValue(name);
                    }
                    break;
                }
                a.put(o, "true");
            }
        }
        return a;
    }

    private Options.Option known(Options options, String name) throws UsageException {
        Options.Option o = options.find(name);
        if (o == null) {
            throw new UsageException("unknown option '" + name + "' for '" + command + "'", helpHint());
        }
        return o;
    }

    private UsageException missingValue(String name) {
        return new UsageException("option '" + name + "' needs a value", helpHint());
    }

    private String helpHint() {
        return "see '" + command + " --help'";
    }

    private void put(Options.Option o, String v) {
        List<String> l = values.computeIfAbsent(o.key(), k -> new ArrayList<>());
        if (!o.repeatable()) {
            l.clear();
        }
        l.add(v);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value of a single-valued flag, or null. */
    public String get(String key) {
        List<String> l = values.get(key);
        return l == null ? null : l.getLast();
    }

    public String get(String key, String dflt) {
        String v = get(key);
        return v == null ? dflt : v;
    }

    /** Every value of a repeatable flag, in order; empty when absent. */
    public List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    public List<String> positionals() {
        return positionals;
    }

    public String command() {
        return command;
    }

    /** The n-th positional, or a usage error naming what is missing. */
    public String required(int n, String what) throws UsageException {
        if (positionals.size() <= n) {
            throw new UsageException("'" + command + "' needs " + what, helpHint());
        }
        return positionals.get(n);
    }

    /** Fails when there are more positionals than the command takes. */
    public void atMost(int n) throws UsageException {
        if (positionals.size() > n) {
            throw new UsageException("unexpected argument '" + positionals.get(n) + "' for '" + command + "'", helpHint());
        }
    }
}
