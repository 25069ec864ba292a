package dev.jmoq.transport.webtransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.AbstractMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** QPACK without a dynamic table, Huffman strings, structured-field protocol lists, WT error codes. */
class QpackTest {
    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(h.replace(" ", "")));
    }

    @Test
    void huffmanDecodesTheRfc7541Examples() throws ProtocolException {
        // RFC 7541 C.4.1 to C.4.3 and C.6.1.
        assertEquals("www.example.com", Huffman.decode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"), 12));
        assertEquals("no-cache", Huffman.decode(hex("a8eb 1064 9cbf"), 6));
        assertEquals("custom-key", Huffman.decode(hex("25a8 49e9 5ba9 7d7f"), 8));
        assertEquals("custom-value", Huffman.decode(hex("25a8 49e9 5bb8 e8b4 bf"), 9));
        assertEquals("302", Huffman.decode(hex("6402"), 2));
        assertEquals("Mon, 21 Oct 2013 20:13:21 GMT",
                Huffman.decode(hex("d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"), 22));
    }

    @Test
    void huffmanRefusesBadPadding() {
        // "0" is 00000 (5 bits); padding with zeros instead of ones is malformed.
        assertThrows(ProtocolException.class, () -> Huffman.decode(hex("00"), 1));
    }

    @Test
    void prefixIntegersRoundTripIncludingTheRfc7541Examples() throws ProtocolException {
        ByteBuf b = Unpooled.buffer();
        Qpack.writeInt(b, 0, 5, 10);
        assertEquals("0a", io.netty.buffer.ByteBufUtil.hexDump(b));
        b.clear();
        Qpack.writeInt(b, 0, 5, 1337);
        assertEquals("1f9a0a", io.netty.buffer.ByteBufUtil.hexDump(b));
        assertEquals(1337, Qpack.readInt(b, 5));
        b.release();
    }

    @Test
    void theStaticTableMatchesRfc9204AppendixA() {
        assertEquals(99, Qpack.staticSize());
        assertEquals(":authority", Qpack.staticName(0));
        assertEquals(":path", Qpack.staticName(1));
        assertEquals("CONNECT", Qpack.staticValue(15));
        assertEquals(":scheme", Qpack.staticName(23));
        assertEquals("https", Qpack.staticValue(23));
        assertEquals("200", Qpack.staticValue(25));
        assertEquals("origin", Qpack.staticName(90));
        assertEquals("x-frame-options", Qpack.staticName(98));
    }

    @Test
    void decodesAnExtendedConnectAsABrowserSendsIt() throws ProtocolException {
        ByteBuf section = Unpooled.buffer();
        section.writeByte(0).writeByte(0);
        Qpack.writeInt(section, 0xc0, 6, 15); // :method CONNECT
        Qpack.writeInt(section, 0xc0, 6, 23); // :scheme https
        Qpack.writeInt(section, 0x50, 4, 0); // :authority, literal value (Huffman)
        section.writeByte(0x80 | 12).writeBytes(HexFormat.of().parseHex("f1e3c2e5f23a6ba0ab90f4ff"));
        Qpack.writeInt(section, 0x50, 4, 1); // :path literal
        section.writeByte(5).writeBytes("/room".getBytes());
        Qpack.writeInt(section, 0x20, 3, 9); // literal name ":protocol"
        section.writeBytes(":protocol".getBytes());
        section.writeByte(12).writeBytes("webtransport".getBytes());
        List<Qpack.Field> f = Qpack.decode(section, 64);
        assertEquals(List.of(new Qpack.Field(":method", "CONNECT"), new Qpack.Field(":scheme", "https"),
                new Qpack.Field(":authority", "www.example.com"), new Qpack.Field(":path", "/room"),
                new Qpack.Field(":protocol", "webtransport")), f);
        section.release();
    }

    @Test
    void dynamicTableReferencesAreRefused() {
        ByteBuf s = hex("0200 80"); // required insert count 2
        assertThrows(ProtocolException.class, () -> Qpack.decode(s, 64));
        ByteBuf t = hex("0000 10"); // indexed post-base
        assertThrows(ProtocolException.class, () -> Qpack.decode(t, 64));
        ByteBuf u = hex("0000 ff7f"); // static index out of range
        assertThrows(ProtocolException.class, () -> Qpack.decode(u, 64));
    }

    @Test
    void ourEncodingDecodesBack() throws ProtocolException {
        List<Map.Entry<String, String>> in = List.of(new AbstractMap.SimpleEntry<>(":status", "200"),
                new AbstractMap.SimpleEntry<>("sec-webtransport-http3-draft", "draft02"),
                new AbstractMap.SimpleEntry<>("wt-protocol", "\"moq-lite-04\""));
        ByteBuf b = Unpooled.buffer();
        Qpack.encode(b, in);
        List<Qpack.Field> out = Qpack.decode(b, 64);
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(in.get(i).getKey(), out.get(i).name());
            assertEquals(in.get(i).getValue(), out.get(i).value());
        }
        b.release();
    }

    @Test
    void theProtocolIsOurFirstPreferenceAmongThoseOffered() {
        List<String> ours = List.of("moq-lite-04", "moq-lite-03", "moql");
        assertEquals("moq-lite-04", WebTransportServer.choose("\"moq-lite-03\", \"moq-lite-04\"", ours));
        assertEquals("moq-lite-03", WebTransportServer.choose("\"moq-lite-05\", \"moq-lite-03\";q=1", ours));
        assertEquals("moql", WebTransportServer.choose("\"moql\"", ours));
        assertNull(WebTransportServer.choose("\"moqt-16\"", ours));
        assertNull(WebTransportServer.choose(null, ours));
        assertEquals(List.of("a\"b", "c"), WebTransportServer.parseStringList("\"a\\\"b\", \"c\""));
    }

    @Test
    void webTransportErrorCodesMapBothWays() {
        for (long code : new long[] {0, 1, 26, 0x1d, 0x1e, 0x1f, 1000, 0xffffffffL}) {
            long h3 = H3.toHttp3(code);
            assertEquals(code, H3.fromHttp3(h3), "code " + code);
        }
        assertEquals(0x52e4a40fa8dbL + 0x1e + 1, H3.toHttp3(0x1e), "every 0x1f-th value is reserved and skipped");
        assertEquals(0x52e4a40fa8dbL, H3.toHttp3(0));
    }
}
