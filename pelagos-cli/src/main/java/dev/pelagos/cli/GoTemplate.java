package dev.pelagos.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.pelagos.base.PelagosException;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of Go's text/template that {@code --format} users write against Docker's JSON:
 * {@code {{.Field.Sub}}}, {@code {{.}}}, {@code {{json .X}}}, {@code {{index .Map "key"}}}, and
 * {@code {{-}}}/{@code {{- ... -}}} trimming. A missing field prints {@code <no value>}, as Go does.
 */
public final class GoTemplate {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private final List<Object> parts; // String literals and Action calls, in order

    private record Action(String function, List<String> args) {
    }

    private GoTemplate(List<Object> parts) {
        this.parts = parts;
    }

    /** Parses a template; a malformed one is an invalid-argument error naming the action. */
    public static GoTemplate parse(String template) throws PelagosException {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("{{", i);
            if (open < 0) {
                literal.append(template, i, template.length());
                break;
            }
            int close = template.indexOf("}}", open + 2);
            if (close < 0) {
                throw PelagosException.invalid("template: unclosed action in '" + template + "'", "close it with }}");
            }
            literal.append(template, i, open);
            String body = template.substring(open + 2, close);
            if (body.startsWith("-") && (body.length() == 1 || Character.isWhitespace(body.charAt(1)))) {
                trimEnd(literal);
                body = body.substring(1);
            }
            i = close + 2;
            if (body.endsWith("-") && (body.length() == 1 || Character.isWhitespace(body.charAt(body.length() - 2)))) {
                body = body.substring(0, body.length() - 1);
                while (i < template.length() && Character.isWhitespace(template.charAt(i))) {
                    i++;
                }
            }
            parts.add(literal.toString());
            literal.setLength(0);
            parts.add(action(body.strip(), template));
        }
        parts.add(literal.toString());
        return new GoTemplate(parts);
    }

    private static void trimEnd(StringBuilder sb) {
        while (!sb.isEmpty() && Character.isWhitespace(sb.charAt(sb.length() - 1))) {
            sb.setLength(sb.length() - 1);
        }
    }

    private static Action action(String body, String template) throws PelagosException {
        List<String> words = new ArrayList<>();
        for (String w : body.split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        if (words.size() == 1 && words.getFirst().startsWith(".")) {
            return new Action("", words);
        }
        if (words.size() == 2 && words.get(0).equals("json") && words.get(1).startsWith(".")) {
            return new Action("json", words.subList(1, 2));
        }
        if (words.size() == 3 && words.get(0).equals("index") && words.get(1).startsWith(".") && words.get(2).startsWith("\"")
                && words.get(2).endsWith("\"") && words.get(2).length() >= 2) {
            return new Action("index", words.subList(1, 3));
        }
        throw PelagosException.invalid("template: cannot use '{{" + body + "}}' in '" + template + "'",
                "use {{.Field}}, {{json .Field}} or {{index .Field \"key\"}}");
    }

    /** The template applied to one JSON document. */
    public String render(JsonElement root) {
        StringBuilder out = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.append(s);
                continue;
            }
            Action a = (Action) p;
            JsonElement v = field(root, a.args().getFirst());
            switch (a.function()) {
                case "json" -> out.append(v == null ? "null" : JSON.toJson(v));
                case "index" -> {
                    String key = a.args().get(1).substring(1, a.args().get(1).length() - 1);
                    out.append(text(v instanceof JsonObject o ? o.get(key) : null));
                }
                default -> out.append(text(v));
            }
        }
        return out.toString();
    }

    private static JsonElement field(JsonElement root, String path) {
        JsonElement v = root;
        for (String name : path.substring(1).split("\\.")) {
            if (name.isEmpty()) {
                continue; // "." itself
            }
            if (!(v instanceof JsonObject o) || !o.has(name)) {
                return null;
            }
            v = o.get(name);
        }
        return v;
    }

    private static String text(JsonElement v) {
        if (v == null) {
            return "<no value>";
        }
        if (v.isJsonNull()) {
            return "<nil>";
        }
        if (v instanceof JsonPrimitive p) {
            if (p.isNumber()) {
                double d = p.getAsDouble();
                return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : p.getAsString();
            }
            return p.getAsString();
        }
        return JSON.toJson(v);
    }
}
