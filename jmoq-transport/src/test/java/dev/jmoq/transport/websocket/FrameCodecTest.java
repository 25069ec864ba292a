package dev.jmoq.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static Frame decode(String hex, WireVersion v) throws ProtocolException {
        ByteBuf b = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
        try {
            return FrameCodec.decode(b, v, false);
        } finally {
            b.release();
        }
    }

    private static String encode(Frame f, WireVersion v, boolean legacy) {
        ByteBuf b = FrameCodec.encode(ByteBufAllocator.DEFAULT, f, v, legacy);
        try {
            return io.netty.buffer.ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void applicationCloseLayouts() throws ProtocolException {
        // RFC 9000 (and @moq/qmux 0.3): 0x1d code reason_len reason.
        assertEquals("1d07026869", encode(new Frame.ConnectionClose(true, 7, "hi"), WireVersion.QMUX_01, false));
        // @moq/qmux 0.0.x on qmux-00 adds a frame type field; we write it for that client...
        assertEquals("1d0700026869", encode(new Frame.ConnectionClose(true, 7, "hi"), WireVersion.QMUX_00, true));
        // ...and read both on qmux-00.
        assertEquals(new Frame.ConnectionClose(true, 7, "hi"), decode("1d07026869", WireVersion.QMUX_00));
        assertEquals(new Frame.ConnectionClose(true, 7, "hi"), decode("1d0700026869", WireVersion.QMUX_00));
        assertEquals(new Frame.ConnectionClose(true, 7, ""), decode("1d070000", WireVersion.QMUX_00));
        // The legacy framing: the reason runs to the end of the message.
        assertEquals("1d076869", encode(new Frame.ConnectionClose(true, 7, "hi"), WireVersion.WEBTRANSPORT, false));
        assertEquals(new Frame.ConnectionClose(false, 3, "x"), decode("1c0378", WireVersion.WEBTRANSPORT));
    }

    @Test
    void streamFramesSliceTheMessage() throws ProtocolException {
        Frame.Stream s = (Frame.Stream) decode("0f0405026869", WireVersion.QMUX_00);
        assertEquals(4, s.id());
        assertEquals(5, s.offset());
        assertTrue(s.fin());
        assertEquals("hi", s.data().toString(java.nio.charset.StandardCharsets.UTF_8));
        s.data().release();
        Frame.Stream legacy = (Frame.Stream) decode("09026869", WireVersion.WEBTRANSPORT);
        assertEquals(2, legacy.id());
        assertTrue(legacy.fin());
        assertEquals(2, legacy.data().readableBytes());
        legacy.data().release();
    }

    @Test
    void transportParametersRoundTrip() throws ProtocolException {
        TransportParameters p = new TransportParameters(30000, 1 << 20, 1000, 2000, 3000, 10, 20, 0, 20000);
        ByteBuf b = Unpooled.buffer();
        p.encode(b, WireVersion.QMUX_02);
        assertEquals(p, TransportParameters.decode(b));
        b.release();
    }

    @Test
    void malformedInputIsAnError() {
        assertThrows(ProtocolException.class, () -> decode("0b0005ff", WireVersion.QMUX_01));
        assertThrows(ProtocolException.class, () -> decode("11", WireVersion.QMUX_00));
        assertThrows(ProtocolException.class, () -> decode("30", WireVersion.QMUX_00)); // no DATAGRAM on qmux-00
        assertThrows(ProtocolException.class, () -> decode("3105aa", WireVersion.QMUX_01)); // DATAGRAM cut short
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decode("ff5153300d0a0d0a05" + "04", WireVersion.QMUX_00)); // truncated parameters
        assertEquals(TransportError.FRAME_ENCODING_ERROR, e.code());
        ProtocolException forbidden = assertThrows(ProtocolException.class,
                () -> decode("ff5153300d0a0d0a02" + "0300", WireVersion.QMUX_00)); // stateless_reset_token
        assertEquals(TransportError.TRANSPORT_PARAMETER_ERROR, forbidden.code());
        // A duplicate parameter.
        ProtocolException dup = assertThrows(ProtocolException.class,
                () -> decode("ff5153300d0a0d0a06" + "040101" + "040101", WireVersion.QMUX_00));
        assertEquals(TransportError.TRANSPORT_PARAMETER_ERROR, dup.code());
    }
}
