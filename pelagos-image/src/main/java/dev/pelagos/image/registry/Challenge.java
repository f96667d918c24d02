package dev.pelagos.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge, e.g.
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"}.
 */
public record Challenge(String scheme, Map<String, String> params) {
    public Challenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Map.copyOf(params);
    }

    public String param(String name) {
        return params.get(name);
    }

    /**
     * Parses a header value that may hold several challenges. Parameter values may be quoted
     * (with backslash escapes) or bare tokens; unknown syntax ends parsing of that challenge.
     */
    public static List<Challenge> parse(String header) {
        List<Challenge> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        int i = 0;
        int n = header.length();
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && isToken(header.charAt(i))) {
                i++;
            }
            if (i == start) {
                break;
            }
            String scheme = header.substring(start, i);
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                int save = i;
                while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',')) {
                    i++;
                }
                int ks = i;
                while (i < n && isToken(header.charAt(i))) {
                    i++;
                }
                int ke = i;
                while (i < n && header.charAt(i) == ' ') {
                    i++;
                }
                if (ke == ks || i >= n || header.charAt(i) != '=') {
                    i = save; // not a parameter: the next challenge starts here
                    break;
                }
                i++;
                while (i < n && header.charAt(i) == ' ') {
                    i++;
                }
                StringBuilder value = new StringBuilder();
                if (i < n && header.charAt(i) == '"') {
                    i++;
                    while (i < n && header.charAt(i) != '"') {
                        if (header.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        value.append(header.charAt(i++));
                    }
                    i++; // closing quote
                } else {
                    while (i < n && header.charAt(i) != ',' && header.charAt(i) != ' ') {
                        value.append(header.charAt(i++));
                    }
                }
                params.put(header.substring(ks, ke).toLowerCase(Locale.ROOT), value.toString());
            }
            out.add(new Challenge(scheme, params));
        }
        return out;
    }

    private static boolean isToken(char c) {
        return Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
