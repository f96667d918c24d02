package dev.pelagos.runtime.launch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the helper's record format back, written from {@code native/src/helper/protocol.h} (not
 * from SpecEncoder), so that a round trip checks the encoder against the C side's layout.
 */
final class SpecDecoder {
    /** One record: tag and raw payload. */
    record Record(int tag, byte[] payload) {
        ByteBuffer buf() {
            return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        }

        String str() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int u32() {
            if (payload.length != 4) {
                throw new AssertionError("tag " + tag + ": u32 payload of " + payload.length + " bytes");
            }
            return buf().getInt();
        }
    }

    /** PG_T_MOUNT: u64 flags, u64 propagation, u32 options, 4 x (u32 len, bytes). */
    record Mount(long flags, long propagation, int options, String source, String target, String fstype, String data) {
    }

    /** PG_T_DEVICE: u32 type, major, minor, mode, uid, gid, (u32 len, bytes) path. */
    record Device(char type, int major, int minor, int mode, int uid, int gid, String path) {
    }

    private SpecDecoder() {
    }

    static List<Record> records(byte[] spec) {
        ByteBuffer b = ByteBuffer.wrap(spec).order(ByteOrder.nativeOrder());
        List<Record> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 8) {
                throw new AssertionError("truncated record header at " + b.position());
            }
            int tag = Short.toUnsignedInt(b.getShort());
            int reserved = Short.toUnsignedInt(b.getShort());
            if (reserved != 0) {
                throw new AssertionError("reserved field is " + reserved + " at tag " + tag);
            }
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                throw new AssertionError("record " + tag + " claims " + len + " bytes, " + b.remaining() + " left");
            }
            byte[] p = new byte[len];
            b.get(p);
            out.add(new Record(tag, p));
        }
        return out;
    }

    static List<String> lstrs(ByteBuffer b, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = b.getInt();
            byte[] s = new byte[n];
            b.get(s);
            out.add(new String(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    static Mount mount(Record r) {
        ByteBuffer b = r.buf();
        long flags = b.getLong();
        long prop = b.getLong();
        int options = b.getInt();
        List<String> s = lstrs(b, 4);
        if (b.hasRemaining()) {
            throw new AssertionError("mount record has " + b.remaining() + " trailing bytes");
        }
        return new Mount(flags, prop, options, s.get(0), s.get(1), s.get(2), s.get(3));
    }

    static Device device(Record r) {
        ByteBuffer b = r.buf();
        char type = (char) b.getInt();
        Device d = new Device(type, b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), lstrs(b, 1).getFirst());
        if (b.hasRemaining()) {
            throw new AssertionError("device record has trailing bytes");
        }
        return d;
    }

    static long[] u64s(Record r) {
        ByteBuffer b = r.buf();
        long[] v = new long[r.payload().length / 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getLong();
        }
        return v;
    }

    static int[] u32s(Record r) {
        ByteBuffer b = r.buf();
        int[] v = new int[r.payload().length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getInt();
        }
        return v;
    }

    static List<Record> withTag(List<Record> all, SpecTag tag) {
        return all.stream().filter(r -> r.tag() == tag.code()).toList();
    }

    static Record single(List<Record> all, SpecTag tag) {
        List<Record> l = withTag(all, tag);
        if (l.size() != 1) {
            throw new AssertionError("expected one " + tag + " record, got " + l.size() + " " + Arrays.toString(l.toArray()));
        }
        return l.getFirst();
    }
}
