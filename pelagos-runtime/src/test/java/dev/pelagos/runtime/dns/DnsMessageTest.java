package dev.pelagos.runtime.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMessageTest {
    /** A query as resolvers send it: id, RD set, one question. */
    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(12).putShort((short) id).putShort((short) 0x0100).putShort((short) 1);
        out.writeBytes(h.array());
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes());
        }
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putShort((short) type).putShort((short) 1).array());
        return out.toByteArray();
    }

    static int rcode(byte[] reply) {
        return reply[3] & 0xf;
    }

    static int answers(byte[] reply) {
        return ByteBuffer.wrap(reply).getShort(6);
    }

    @Test
    void readsTheQuestionCaseInsensitively() throws Exception {
        byte[] q = query(0x1234, "Web.Example", DnsMessage.TYPE_A);
        DnsMessage m = DnsMessage.parseQuery(q, q.length);
        assertThat(m.id()).isEqualTo(0x1234);
        assertThat(m.name()).isEqualTo("web.example");
        assertThat(m.type()).isEqualTo(DnsMessage.TYPE_A);
        assertThat(m.opcode()).isZero();
    }

    @Test
    void anAQueryGetsEveryAddressAuthoritatively() throws Exception {
        byte[] q = query(7, "db", DnsMessage.TYPE_A);
        Inet4Address a = (Inet4Address) InetAddress.getByName("10.88.0.2");
        Inet4Address b = (Inet4Address) InetAddress.getByName("10.88.0.3");
        byte[] r = DnsMessage.parseQuery(q, q.length).answer(List.of(a, b), 10);
        ByteBuffer buf = ByteBuffer.wrap(r);
        assertThat(buf.getShort(0)).isEqualTo((short) 7);
        int flags = buf.getShort(2) & 0xffff;
        assertThat(flags & 0x8000).as("QR").isNotZero();
        assertThat(flags & 0x0400).as("AA").isNotZero();
        assertThat(flags & 0x0100).as("RD echoed").isNotZero();
        assertThat(rcode(r)).isZero();
        assertThat(answers(r)).isEqualTo(2);
        // the question is echoed, then each record: pointer to it, A, IN, TTL 10, 4 bytes
        int at = q.length;
        assertThat(buf.getShort(at) & 0xffff).isEqualTo(0xc00c);
        assertThat(buf.getShort(at + 2)).isEqualTo((short) 1);
        assertThat(buf.getInt(at + 6)).isEqualTo(10);
        assertThat(buf.getShort(at + 10)).isEqualTo((short) 4);
        assertThat(InetAddress.getByAddress(java.util.Arrays.copyOfRange(r, at + 12, at + 16))).isEqualTo(a);
        assertThat(r.length).isEqualTo(q.length + 32);
    }

    @Test
    void anotherTypeForAKnownNameGetsAnEmptyAnswer() throws Exception {
        byte[] q = query(9, "db", 28);
        byte[] r = DnsMessage.parseQuery(q, q.length).answer(List.of((Inet4Address) InetAddress.getByName("10.0.0.2")), 10);
        assertThat(rcode(r)).isZero();
        assertThat(answers(r)).isZero();
    }

    @Test
    void errorsKeepTheQuestion() throws Exception {
        byte[] q = query(11, "nowhere", DnsMessage.TYPE_A);
        byte[] r = DnsMessage.parseQuery(q, q.length).error(DnsMessage.NXDOMAIN);
        assertThat(rcode(r)).isEqualTo(DnsMessage.NXDOMAIN);
        assertThat(r.length).isEqualTo(q.length);
        assertThat(ByteBuffer.wrap(r).getShort(4)).isEqualTo((short) 1);
    }

    @Test
    void refusesWhatIsNotAOneQuestionQuery() {
        byte[] answer = query(1, "x", 1);
        answer[2] |= (byte) 0x80;
        assertThatThrownBy(() -> DnsMessage.parseQuery(answer, answer.length)).isInstanceOf(DnsMessage.Malformed.class);
        assertThat(DnsMessage.unreadable(answer, answer.length)).as("an answer is never answered").isNull();
        byte[] truncated = query(2, "abc", 1);
        assertThatThrownBy(() -> DnsMessage.parseQuery(truncated, 15)).isInstanceOf(DnsMessage.Malformed.class);
        byte[] pointer = query(3, "abc", 1);
        pointer[12] = (byte) 0xc0;
        assertThatThrownBy(() -> DnsMessage.parseQuery(pointer, pointer.length)).isInstanceOf(DnsMessage.Malformed.class);
        byte[] r = DnsMessage.unreadable(truncated, 15);
        assertThat(rcode(r)).isEqualTo(DnsMessage.FORMERR);
        assertThat(ByteBuffer.wrap(r).getShort(0)).isEqualTo((short) 2);
        byte[] status = query(4, "abc", 1);
        status[2] |= (byte) (2 << 3); // opcode STATUS
        assertThat(rcode(DnsMessage.unreadable(status, status.length))).isEqualTo(DnsMessage.NOTIMP);
    }

    @Test
    void reverseNamesAndPointerAnswers() throws Exception {
        assertThat(DnsMessage.reverseAddress("2.0.88.10.in-addr.arpa")).isEqualTo(InetAddress.getByName("10.88.0.2"));
        assertThat(DnsMessage.reverseAddress("0.88.10.in-addr.arpa")).as("a network, not an address").isNull();
        assertThat(DnsMessage.reverseAddress("300.0.88.10.in-addr.arpa")).isNull();
        assertThat(DnsMessage.reverseAddress("db")).isNull();
        byte[] q = query(3, "2.0.88.10.in-addr.arpa", DnsMessage.TYPE_PTR);
        byte[] r = DnsMessage.parseQuery(q, q.length).answerPointer("db", 10);
        ByteBuffer b = ByteBuffer.wrap(r);
        assertThat(answers(r)).isEqualTo(1);
        assertThat(b.getShort(q.length + 2)).isEqualTo((short) DnsMessage.TYPE_PTR);
        assertThat(b.getShort(q.length + 10)).as("rdlength: 2 d b 0").isEqualTo((short) 4);
        assertThat(java.util.Arrays.copyOfRange(r, q.length + 12, r.length)).containsExactly(2, 'd', 'b', 0);
    }
}
