package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link QmuxDatagrams}' limits (draft-ietf-quic-qmux-02, "Unreliable Datagram Extension"; RFC 9221 section
 * 3): what the peer's parameters allow us to send, the frame we write, and what we refuse to receive.
 */
class QmuxDatagramsTest {
    private static TransportParameters peer(long maxDatagramFrame, long maxRecord) {
        return new TransportParameters(0, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 10, 10, maxDatagramFrame, maxRecord);
    }

    private static final class Handler implements ConnectionHandler {
        final List<String> datagrams = new ArrayList<>();

        @Override
        public void onBidiStream(BidiStream stream) {
        }

        @Override
        public void onUniStream(RecvStream stream) {
        }

        @Override
        public void onDatagram(ByteBuf datagram) {
            datagrams.add(ByteBufUtil.hexDump(datagram));
            datagram.release();
        }

        @Override
        public void onClosed(long code, String reason) {
        }
    }

    private static QmuxDatagrams datagrams(EmbeddedChannel ch, WireVersion wire, PeerStreamHandoff handoff) {
        return new QmuxDatagrams(ch, wire, QmuxSettings.defaults().toParameters(), handoff);
    }

    @Test
    void sendsOnlyWhatThePeerAdvertisedAndFitsItsRecord() {
        EmbeddedChannel ch = new EmbeddedChannel();
        QmuxDatagrams d = datagrams(ch, WireVersion.QMUX_01, new PeerStreamHandoff());
        assertEquals(0, d.maxPayload(), "nothing before the peer's parameters");
        d.onPeerParameters(peer(0, 16382));
        assertEquals(0, d.maxPayload(), "a peer without max_datagram_frame_size takes none");
        ByteBuf refused = Unpooled.wrappedBuffer(new byte[] {1});
        assertFalse(d.send(refused));
        assertEquals(0, refused.refCnt());
        d.onPeerParameters(peer(1200, 16382));
        assertEquals(1197, d.maxPayload(), "the frame limit less type and Length");
        d.onPeerParameters(peer(65535, 20000));
        assertEquals(20000 - 1 - 4, d.maxPayload(), "bounded by the peer's record, less type and a 4-byte Length");
        assertTrue(d.send(Unpooled.wrappedBuffer(new byte[] {(byte) 0xaa, (byte) 0xbb})));
        BinaryWebSocketFrame out = ch.readOutbound();
        assertEquals("3102aabb", ByteBufUtil.hexDump(out.content()));
        out.release();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void qmux00NeverSends() {
        EmbeddedChannel ch = new EmbeddedChannel();
        QmuxDatagrams d = datagrams(ch, WireVersion.QMUX_00, new PeerStreamHandoff());
        d.onPeerParameters(peer(16382, 16382));
        assertEquals(0, d.maxPayload());
        ch.finishAndReleaseAll();
    }

    @Test
    void receivedDatagramsGoToTheHandlerWithinOurLimit() throws ProtocolException {
        EmbeddedChannel ch = new EmbeddedChannel();
        PeerStreamHandoff handoff = new PeerStreamHandoff();
        QmuxDatagrams d = datagrams(ch, WireVersion.QMUX_02, handoff);
        ByteBuf early = Unpooled.wrappedBuffer(new byte[] {1});
        d.onDatagram(new Frame.Datagram(early, 3));
        assertEquals(0, early.refCnt(), "dropped while no session holds the connection");
        Handler h = new Handler();
        handoff.setHandler(h);
        d.onDatagram(new Frame.Datagram(Unpooled.wrappedBuffer(new byte[] {(byte) 0xcc}), 3));
        assertEquals(List.of("cc"), h.datagrams);
        ByteBuf big = Unpooled.wrappedBuffer(new byte[] {2});
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> d.onDatagram(new Frame.Datagram(big, (int) QmuxDatagrams.MAX_FRAME_SIZE + 1)));
        assertEquals(TransportError.PROTOCOL_VIOLATION, e.code());
        assertEquals(0, big.refCnt());
        ch.finishAndReleaseAll();
    }

    @Test
    void decodesBothFrameTypesOnRecordFramingsOnly() throws ProtocolException {
        ByteBuf with = Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex("3103aabbcc"));
        Frame.Datagram a = (Frame.Datagram) FrameCodec.decode(with, WireVersion.QMUX_01, false);
        assertEquals("aabbcc", ByteBufUtil.hexDump(a.data()));
        assertEquals(5, a.frameSize());
        a.data().release();
        ByteBuf without = Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex("30ddeeff"));
        Frame.Datagram b = (Frame.Datagram) FrameCodec.decode(without, WireVersion.QMUX_02, false);
        assertEquals("ddeeff", ByteBufUtil.hexDump(b.data()));
        assertEquals(4, b.frameSize());
        b.data().release();
        assertEquals(1, with.refCnt());
        with.release();
        without.release();
        ByteBuf truncated = Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex("3105aa"));
        assertEquals(TransportError.FRAME_ENCODING_ERROR, assertThrows(ProtocolException.class,
                () -> FrameCodec.decode(truncated, WireVersion.QMUX_01, false)).code());
        truncated.release();
        ByteBuf onQmux00 = Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex("300102"));
        assertThrows(ProtocolException.class, () -> FrameCodec.decode(onQmux00, WireVersion.QMUX_00, false));
        onQmux00.release();
    }
}
