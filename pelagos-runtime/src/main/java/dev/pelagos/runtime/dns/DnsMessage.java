package dev.pelagos.runtime.dns;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * The part of a DNS message (RFC 1035 §4) the name service reads and writes: a query's header and
 * its one question, and the answers made from it. Anything else in a query (EDNS records, say) is
 * left alone: answers carry the question and, for A queries, the addresses.
 *
 * @param id     the query's id, echoed in the answer
 * @param flags  the query's header flags (opcode and RD are echoed)
 * @param name   the asked name, lower case, without the final dot
 * @param type   the asked type (1 = A)
 * @param qclass the asked class (1 = IN)
 * @param questionEnd where the question ends in {@code raw}: answers copy the message up to here
 */
public record DnsMessage(int id, int flags, String name, int type, int qclass, byte[] raw, int questionEnd) {
    public static final int TYPE_A = 1;
    public static final int TYPE_PTR = 12;
    public static final int CLASS_IN = 1;
    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;
    private static final int HEADER = 12;
    private static final int QR = 0x8000;
    private static final int AA = 0x0400;
    private static final int TC = 0x0200;
    private static final int RD = 0x0100;
    private static final int RA = 0x0080;

    /** A message that is not a query this service can read. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String why) {
            super(why);
        }
    }

    /** Reads a query: a standard query (opcode 0) with exactly one question. */
    public static DnsMessage parseQuery(byte[] data, int length) throws Malformed {
        if (length < HEADER) {
            throw new Malformed("shorter than a header");
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        int id = b.getShort(0) & 0xffff;
        int flags = b.getShort(2) & 0xffff;
        int questions = b.getShort(4) & 0xffff;
        if ((flags & QR) != 0) {
            throw new Malformed("an answer, not a query");
        }
        if (questions != 1) {
            throw new Malformed(questions + " questions");
        }
        StringBuilder name = new StringBuilder();
        int pos = HEADER;
        while (true) {
            if (pos >= length) {
                throw new Malformed("the name runs past the end");
            }
            int len = data[pos] & 0xff;
            if (len == 0) {
                pos++;
                break;
            }
            if (len > 63) {
                // compression pointers have nothing to point back to in a question
                throw new Malformed("a label of " + len + " bytes");
            }
            if (pos + 1 + len > length || name.length() + len > 253) {
                throw new Malformed("a name too long");
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(data, pos + 1, len, java.nio.charset.StandardCharsets.ISO_8859_1));
            pos += 1 + len;
        }
        if (pos + 4 > length) {
            throw new Malformed("no type and class");
        }
        int type = b.getShort(pos) & 0xffff;
        int qclass = b.getShort(pos + 2) & 0xffff;
        return new DnsMessage(id, flags, name.toString().toLowerCase(Locale.ROOT), type, qclass, data.clone(), pos + 4);
    }

    public int opcode() {
        return (flags >> 11) & 0xf;
    }

    /** The authoritative answer for a name this service knows: its addresses for an A query, none (NODATA) otherwise. */
    public byte[] answer(List<Inet4Address> addresses, int ttlSeconds) {
        List<Inet4Address> records = type == TYPE_A && qclass == CLASS_IN ? addresses : List.of();
        ByteBuffer out = header(NOERROR, true, records.size(), 16 * records.size());
        for (Inet4Address a : records) {
            out.putShort((short) (0xc000 | HEADER)); // the name: a pointer to the question's
            out.putShort((short) TYPE_A).putShort((short) CLASS_IN).putInt(ttlSeconds).putShort((short) 4).put(a.getAddress());
        }
        return out.array();
    }

    /** The authoritative answer to a PTR query: {@code target} (a name of labels). */
    public byte[] answerPointer(String target, int ttlSeconds) {
        java.io.ByteArrayOutputStream name = new java.io.ByteArrayOutputStream();
        for (String label : target.split("\\.")) {
            byte[] b = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            name.write(Math.min(b.length, 63));
            name.write(b, 0, Math.min(b.length, 63));
        }
        name.write(0);
        byte[] rdata = name.toByteArray();
        ByteBuffer out = header(NOERROR, true, 1, 12 + rdata.length);
        out.putShort((short) (0xc000 | HEADER)).putShort((short) TYPE_PTR).putShort((short) CLASS_IN).putInt(ttlSeconds)
                .putShort((short) rdata.length).put(rdata);
        return out.array();
    }

    /**
     * The IPv4 address a reverse name stands for ({@code 4.3.2.1.in-addr.arpa} is 1.2.3.4), or null
     * when the name is not one.
     */
    public static Inet4Address reverseAddress(String name) {
        String suffix = ".in-addr.arpa";
        if (!name.endsWith(suffix)) {
            return null;
        }
        String[] parts = name.substring(0, name.length() - suffix.length()).split("\\.");
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            b[3 - i] = (byte) Integer.parseInt(parts[i]);
        }
        try {
            return (Inet4Address) java.net.InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** An answer with no records and the given response code (NXDOMAIN, SERVFAIL, REFUSED, ...). */
    public byte[] error(int rcode) {
        return header(rcode, false, 0, 0).array();
    }

    /** The answer to a query that could not be read: its id and FORMERR, or NOTIMP for another opcode. */
    public static byte[] unreadable(byte[] data, int length) {
        if (length < 4) {
            return null;
        }
        int flags = ((data[2] & 0xff) << 8) | (data[3] & 0xff);
        if ((flags & QR) != 0) {
            return null; // never answer an answer
        }
        int rcode = ((flags >> 11) & 0xf) != 0 ? NOTIMP : FORMERR;
        ByteBuffer out = ByteBuffer.allocate(HEADER);
        out.put(data, 0, 2).putShort((short) (QR | (flags & 0x7800) | (flags & RD) | RA | rcode));
        return out.array();
    }

    private ByteBuffer header(int rcode, boolean authoritative, int answers, int extra) {
        ByteBuffer out = ByteBuffer.allocate(questionEnd + extra);
        int f = QR | (flags & 0x7800) | (flags & RD) | RA | rcode | (authoritative ? AA : 0);
        out.putShort((short) id).putShort((short) (f & ~TC)).putShort((short) 1).putShort((short) answers)
                .putShort((short) 0).putShort((short) 0);
        out.put(raw, HEADER, questionEnd - HEADER);
        return out;
    }

    /** The message's id, as a forwarded query or its answer carries it. */
    public static int idOf(byte[] data) {
        return ((data[0] & 0xff) << 8) | (data[1] & 0xff);
    }

    /** Writes {@code id} into a message (a forwarded query gets its own, its answer the client's back). */
    public static void setId(byte[] data, int id) {
        data[0] = (byte) (id >>> 8);
        data[1] = (byte) id;
    }
}
