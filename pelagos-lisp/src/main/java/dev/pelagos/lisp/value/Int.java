package dev.pelagos.lisp.value;

/** A 64-bit integer with wrapping arithmetic. Small values are cached: loops count with them. */
public record Int(long value) implements Value {
    private static final int CACHE_LOW = -128;
    private static final int CACHE_HIGH = 1024;
    private static final Int[] CACHE = new Int[CACHE_HIGH - CACHE_LOW + 1];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new Int(i + CACHE_LOW);
        }
    }

    public static Int of(long v) {
        if (v >= CACHE_LOW && v <= CACHE_HIGH) {
            return CACHE[(int) v - CACHE_LOW];
        }
        return new Int(v);
    }

    @Override
    public String typeName() {
        return "int";
    }
}
