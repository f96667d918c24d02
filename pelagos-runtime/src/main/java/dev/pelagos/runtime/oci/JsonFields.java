package dev.pelagos.runtime.oci;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pelagos.base.PelagosException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a Gson tree that name the field on a type error
 * ({@code process.user.uid: expected a number, got "root"}). Used instead of Gson's reflective
 * binding, whose first use costs ~130 ms in a fresh JVM: every OCI verb is a fresh JVM.
 */
final class JsonFields {
    private final JsonObject o;
    private final String at;

    JsonFields(JsonObject o, String at) {
        this.o = o;
        this.at = at;
    }

    /** A member object, or null when absent or JSON null. */
    static JsonFields of(JsonElement e, String at) throws PelagosException {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw wrong(at, "an object", e);
        }
        return new JsonFields(e.getAsJsonObject(), at);
    }

    private String path(String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    private JsonElement get(String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    JsonFields obj(String key) throws PelagosException {
        return of(get(key), path(key));
    }

    JsonObject raw(String key) throws PelagosException {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw wrong(path(key), "an object", e);
        }
        return e.getAsJsonObject();
    }

    String str(String key) throws PelagosException {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw wrong(path(key), "a string", e);
        }
        return e.getAsString();
    }

    Boolean bool(String key) throws PelagosException {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw wrong(path(key), "true or false", e);
        }
        return e.getAsBoolean();
    }

    BigInteger big(String key) throws PelagosException {
        return number(get(key), path(key));
    }

    Long lng(String key) throws PelagosException {
        BigInteger b = big(key);
        if (b == null) {
            return null;
        }
        if (b.bitLength() > 63) {
            throw new PelagosException(dev.pelagos.base.ErrorKind.INVALID_INPUT,
                    "config.json: " + path(key) + " " + b + " is out of range", "fix the value in the bundle's config.json");
        }
        return b.longValue();
    }

    Integer integer(String key) throws PelagosException {
        Long l = lng(key);
        if (l == null) {
            return null;
        }
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw ConfigValidator.bad(path(key), l + " is out of range", null);
        }
        return l.intValue();
    }

    List<String> strings(String key) throws PelagosException {
        return list(key, (e, p) -> {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw wrong(p, "a string", e);
            }
            return e.getAsString();
        });
    }

    List<Long> longs(String key) throws PelagosException {
        return list(key, (e, p) -> number(e, p).longValue());
    }

    List<JsonObject> rawList(String key) throws PelagosException {
        return list(key, (e, p) -> {
            if (!e.isJsonObject()) {
                throw wrong(p, "an object", e);
            }
            return e.getAsJsonObject();
        });
    }

    interface Item<T> {
        T read(JsonElement e, String path) throws PelagosException;
    }

    interface ObjItem<T> {
        T read(JsonFields f) throws PelagosException;
    }

    <T> List<T> list(String key, Item<T> item) throws PelagosException {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw wrong(path(key), "an array", e);
        }
        JsonArray a = e.getAsJsonArray();
        List<T> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String p = path(key) + "[" + i + "]";
            JsonElement x = a.get(i);
            if (x == null || x.isJsonNull()) {
                throw wrong(p, "a value", x);
            }
            out.add(item.read(x, p));
        }
        return out;
    }

    <T> List<T> objects(String key, ObjItem<T> item) throws PelagosException {
        return list(key, (e, p) -> item.read(of(e, p)));
    }

    Map<String, String> stringMap(String key) throws PelagosException {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw wrong(path(key), "an object of strings", e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw wrong(path(key) + "." + m.getKey(), "a string", v);
            }
            out.put(m.getKey(), v.getAsString());
        }
        return out;
    }

    private static BigInteger number(JsonElement e, String p) throws PelagosException {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw wrong(p, "a number", e);
        }
        String text = e.getAsString();
        try {
            // the common case without BigDecimal, whose first use costs milliseconds in a fresh JVM
            return plainLong(text) ? BigInteger.valueOf(Long.parseLong(text))
                    : new java.math.BigDecimal(text).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException x) {
            throw wrong(p, "a whole number", e);
        }
    }

    /** Digits with an optional minus, short enough for a long. */
    private static boolean plainLong(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() - start > 18) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static PelagosException wrong(String path, String expected, JsonElement got) {
        String g = got == null || got.isJsonNull() ? "null" : got.isJsonPrimitive() ? got.toString()
                : got.isJsonArray() ? "an array" : "an object";
        return ConfigValidator.bad(path, "must be " + expected + ", got " + g, "check the value's type against the OCI runtime spec");
    }
}
