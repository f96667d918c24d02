package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.util.BitSet;
import java.util.Objects;

/**
 * A set of CPU or memory-node numbers in the kernel's list syntax, e.g. {@code 0-2,4}. Values are
 * kept as a bit set; {@link #toString()} gives the canonical list the kernel would print.
 */
public record CpuSet(BitSet members) {
    /** Larger than any kernel's NR_CPUS; bounds the bit set a typo like 0-99999999 would make. */
    public static final int MAX_INDEX = 8191;

    public CpuSet {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty() || members.length() - 1 > MAX_INDEX) {
            throw new IllegalArgumentException("a cpuset needs 1 to " + (MAX_INDEX + 1) + " members in range");
        }
        members = (BitSet) members.clone();
    }

    /**
     * Parses {@code 0-2,4}; whitespace around items is allowed, empty items and reversed ranges
     * are not.
     *
     * @param what the flag for the error message, e.g. "cpuset-cpus"
     */
    public static CpuSet parse(String what, String text) throws PelagosException {
        BitSet bits = new BitSet();
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw invalid(what, text, "it is empty");
        }
        for (String item : trimmed.split(",", -1)) {
            String s = item.strip();
            int dash = s.indexOf('-');
            int lo;
            int hi;
            if (dash < 0) {
                lo = number(what, text, s);
                hi = lo;
            } else {
                lo = number(what, text, s.substring(0, dash).strip());
                hi = number(what, text, s.substring(dash + 1).strip());
                if (hi < lo) {
                    throw invalid(what, text, "the range " + s + " runs backwards");
                }
            }
            bits.set(lo, hi + 1);
        }
        return new CpuSet(bits);
    }

    private static int number(String what, String text, String s) throws PelagosException {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(what, text, s.isEmpty() ? "an item is empty" : "'" + s + "' is not a number");
        }
        if (s.length() > 5 || Integer.parseInt(s) > MAX_INDEX) {
            throw invalid(what, text, s + " is larger than any CPU or node number (" + MAX_INDEX + ")");
        }
        return Integer.parseInt(s);
    }

    private static PelagosException invalid(String what, String text, String why) {
        return PelagosException.invalid("invalid " + what + " '" + text + "': " + why,
                "use a list of numbers and ranges such as 0-2,4");
    }

    public boolean contains(int index) {
        return members.get(index);
    }

    /** True when every member of this set is also in {@code other}. */
    public boolean isSubsetOf(CpuSet other) {
        BitSet extra = (BitSet) members.clone();
        extra.andNot(other.members);
        return extra.isEmpty();
    }

    public int size() {
        return members.cardinality();
    }

    @Override
    public BitSet members() {
        return (BitSet) members.clone();
    }

    /** Canonical kernel list syntax: sorted, ranges merged, e.g. {@code 0-2,4}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int i = members.nextSetBit(0);
        while (i >= 0) {
            int end = members.nextClearBit(i) - 1;
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = members.nextSetBit(end + 1);
        }
        return sb.toString();
    }
}
