package dev.pelagos.cli.args;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags one command accepts, declared as a table; the same table drives parsing and the
 * generated {@code --help}. Deliberately tiny: a general-purpose CLI framework costs 100+ ms of
 * class loading on every start (DECISIONS §B).
 */
public final class Options {
    /** One flag. {@code key} is the long name without dashes; it is how commands look values up. */
    public record Option(String key, List<String> names, String metavar, boolean repeatable, boolean hidden, String help) {
        public boolean takesValue() {
            return metavar != null;
        }
    }

    private final Map<String, Option> byName = new LinkedHashMap<>();
    private final List<Option> all = new ArrayList<>();
    private boolean optionsAnywhere = true;

    /** A boolean flag, e.g. {@code flag("-d, --detach", "run in the background")}. */
    public Options flag(String names, String help) {
        return add(names, null, false, false, help);
    }

    /** A flag that takes one value; the last occurrence wins. */
    public Options value(String names, String metavar, String help) {
        return add(names, metavar, false, false, help);
    }

    /** A flag that may be given several times; every value is kept in order. */
    public Options list(String names, String metavar, String help) {
        return add(names, metavar, true, false, help);
    }

    /** Accepted for compatibility but not shown in help. */
    public Options hidden(String names, String metavar) {
        return add(names, metavar, metavar != null, true, "");
    }

    /**
     * After the first positional argument, everything is positional (for {@code run IMAGE CMD...}
     * and {@code exec NAME CMD...}, whose trailing arguments belong to the container's command).
     */
    public Options stopAtFirstPositional() {
        this.optionsAnywhere = false;
        return this;
    }

    private Options add(String names, String metavar, boolean repeatable, boolean hidden, String help) {
        // no regex and no streams here: every verb builds this table on every start
        List<String> ns = new ArrayList<>(2);
        String longName = null;
        for (String n : names.split(",")) {
            String t = n.trim();
            ns.add(t);
            if (longName == null && t.startsWith("--")) {
                longName = t;
            }
        }
        String first = longName != null ? longName : ns.getFirst();
        int dashes = 0;
        while (dashes < first.length() && first.charAt(dashes) == '-') {
            dashes++;
        }
        String key = first.substring(dashes);
        Option o = new Option(key, List.copyOf(ns), metavar, repeatable, hidden, help);
        for (String n : ns) {
            if (byName.put(n, o) != null) {
                throw new IllegalStateException("duplicate option " + n);
            }
        }
        all.add(o);
        return this;
    }

    /** Whether {@code name} (e.g. "--name", or "-w") is a flag that takes a value. */
    public boolean takesValue(String name) {
        Option o = byName.get(name);
        if (o == null && name.length() > 2 && !name.startsWith("--")) {
            o = byName.get(name.substring(0, 2)); // "-wDIR" carries its value; "-it" is booleans
            return o != null && o.takesValue() && name.length() == 2;
        }
        return o != null && o.takesValue();
    }

    /** Whether {@code name} is one of this verb's options. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    Option find(String name) {
        return byName.get(name);
    }

    public boolean optionsAnywhere() {
        return optionsAnywhere;
    }

    public List<Option> all() {
        return all;
    }
}
