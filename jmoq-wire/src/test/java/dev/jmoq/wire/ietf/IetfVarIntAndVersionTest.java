package dev.jmoq.wire.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The MoQT varint against the drafts' example encodings, and the negotiation half of the feature table. */
class IetfVarIntAndVersionTest {

    private static long read(IetfVarInt e, String hex) throws ProtocolException {
        ByteBuf b = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
        assertTrue(e.isReadable(b));
        long v = e.read(b);
        assertFalse(b.isReadable(), hex);
        return v;
    }

    @Test
    void moqtVarintDecodesTheDraftExamples() throws Exception {
        // draft-ietf-moq-transport-18, "Example Integer Encodings" (non-minimal 0x8025 included).
        assertEquals(37, read(IetfVarInt.MOQT, "25"));
        assertEquals(37, read(IetfVarInt.MOQT, "8025"));
        assertEquals(15_293, read(IetfVarInt.MOQT, "bbbd"));
        assertEquals(226_442_877, read(IetfVarInt.MOQT, "ed7f3e7d"));
        assertEquals(2_893_212_287_960L, read(IetfVarInt.MOQT, "faa1a0e403d8"));
        assertEquals(151_288_809_941_952L, read(IetfVarInt.MOQT, "fc8998abc66bc0"));
        assertEquals(70_423_237_261_249_041L, read(IetfVarInt.MOQT, "fefa318fa8e3ca11"));
        assertEquals(-1L, read(IetfVarInt.MOQT, "ffffffffffffffffff")); // 2^64 - 1, unsigned
        // Draft 17's table listed 0xdd7f3e7d as 494,878,333, which is no valid encoding (0xdd starts a
        // 3-byte form); draft 18 corrected the example to 0xed7f3e7d. The encoding rule is the same.
        assertEquals(226_442_877, read(IetfVarInt.MOQT_17, "ed7f3e7d"));
    }

    @Test
    void draft17RejectsTheSevenByteForm() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> read(IetfVarInt.MOQT_17, "fc8998abc66bc0"));
        assertEquals(IetfErrorCode.PROTOCOL_VIOLATION.code(), e.code());
    }

    @Test
    void writersUseTheShortestFormAndRoundTripAtEveryBoundary() throws Exception {
        long[] values = {0, 127, 128, 16_383, 16_384, (1L << 21) - 1, 1L << 21, (1L << 28) - 1, 1L << 28,
                (1L << 35) - 1, 1L << 35, (1L << 42) - 1, 1L << 42, (1L << 49) - 1, 1L << 49, (1L << 56) - 1, 1L << 56,
                Long.MAX_VALUE, -1L};
        for (IetfVarInt e : IetfVarInt.values()) {
            for (long x : values) {
                if (e == IetfVarInt.QUIC && (x < 0 || x > dev.jmoq.wire.VarInt.MAX)) {
                    assertThrows(IllegalArgumentException.class, () -> e.size(x));
                    continue;
                }
                ByteBuf b = Unpooled.buffer();
                e.write(b, x);
                assertEquals(e.size(x), b.readableBytes(), e + " " + x);
                assertEquals(x, e.read(b), e + " " + x);
            }
        }
        assertEquals(7, IetfVarInt.MOQT.size(1L << 42));
        assertEquals(8, IetfVarInt.MOQT_17.size(1L << 42));
    }

    @Test
    void incompleteVarintIsNotReadable() throws Exception {
        assertFalse(IetfVarInt.MOQT.isReadable(Unpooled.wrappedBuffer(new byte[] {(byte) 0xc0, 1})));
        assertFalse(IetfVarInt.QUIC.isReadable(Unpooled.wrappedBuffer(new byte[] {(byte) 0x40})));
        assertFalse(IetfVarInt.MOQT.isReadable(Unpooled.EMPTY_BUFFER));
    }

    @Test
    void alpnSelectsTheDraftAnd21And22AreDraft20() {
        assertNull(IetfVersion.fromAlpn("moq-00"));
        assertTrue(IetfVersion.negotiatesInSetup("moq-00"));
        assertSame(IetfVersion.DRAFT_15, IetfVersion.fromAlpn("moqt-15"));
        assertSame(IetfVersion.DRAFT_19, IetfVersion.fromAlpn("moqt-19"));
        assertSame(IetfVersion.DRAFT_20, IetfVersion.fromAlpn("moqt-20"));
        assertSame(IetfVersion.DRAFT_20, IetfVersion.fromAlpn("moqt-21"));
        assertSame(IetfVersion.DRAFT_20, IetfVersion.fromAlpn("moqt-22"));
        assertNull(IetfVersion.fromAlpn("moqt-14"));
        assertNull(IetfVersion.fromAlpn("moqt-23"));
        assertNull(IetfVersion.fromAlpn("moq-lite-05"));
        for (IetfVersion v : IetfVersion.values()) {
            assertEquals(0xff000000L + v.draft(), v.code());
            assertSame(v, IetfVersion.fromCode(v.code()));
            if (v != IetfVersion.DRAFT_14) {
                assertSame(v, IetfVersion.fromAlpn(v.alpn()));
            }
        }
        assertEquals("moq-00", IetfVersion.DRAFT_14.alpn());
    }

    @Test
    void theDraft17BreakIsOneRowOfTheTable() {
        for (IetfVersion v : IetfVersion.values()) {
            boolean after = v.draft() >= 17;
            assertEquals(after, v.hasRequestStreams(), v.toString());
            assertEquals(!after, v.hasRequestFlowControl(), v.toString());
            assertEquals(after ? (v.draft() == 17 ? IetfVarInt.MOQT_17 : IetfVarInt.MOQT) : IetfVarInt.QUIC, v.varint());
            assertEquals(after ? -1 : ClientSetup.TYPE, new ClientSetup(java.util.List.of(), Parameters.EMPTY).type(v));
            assertEquals(after ? Setup.TYPE : -1, new Setup(Parameters.EMPTY).type(v));
        }
    }

    @Test
    void streamKindsArePeekedWithoutConsuming() throws Exception {
        ByteBuf setup = Unpooled.buffer();
        ControlCodec.write(setup, new Setup(Parameters.EMPTY), IetfVersion.DRAFT_18);
        assertSame(DataStreamType.CONTROL, DataStreamType.peek(setup, IetfVersion.DRAFT_18));
        assertEquals(0, setup.readerIndex());
        assertTrue(ControlCodec.tryRead(setup, IetfVersion.DRAFT_18, 0xFFFF) instanceof Setup);
        assertSame(DataStreamType.SUBGROUP, DataStreamType.peek(Unpooled.wrappedBuffer(new byte[] {0x14}), IetfVersion.DRAFT_14));
        assertSame(DataStreamType.FETCH, DataStreamType.peek(Unpooled.wrappedBuffer(new byte[] {0x05}), IetfVersion.DRAFT_20));
        ByteBuf padding = Unpooled.buffer();
        IetfVarInt.MOQT.write(padding, DataStreamType.PADDING_STREAM);
        assertSame(DataStreamType.PADDING, DataStreamType.peek(padding, IetfVersion.DRAFT_18));
        assertThrows(ProtocolException.class, () -> DataStreamType.peek(padding, IetfVersion.DRAFT_17));
        assertNull(DataStreamType.peek(Unpooled.wrappedBuffer(new byte[] {(byte) 0xc0}), IetfVersion.DRAFT_18));
        // SETUP on a uni stream is a draft-17+ control stream; before that 0x2F00 is no stream type.
        ByteBuf old = Unpooled.buffer();
        IetfVarInt.QUIC.write(old, Setup.TYPE);
        assertThrows(ProtocolException.class, () -> DataStreamType.peek(old, IetfVersion.DRAFT_16));
        assertTrue(ControlCodec.startsRequestStream(SubscribeTracks.TYPE, IetfVersion.DRAFT_18));
        assertFalse(ControlCodec.startsRequestStream(SubscribeTracks.TYPE, IetfVersion.DRAFT_17));
        assertFalse(ControlCodec.startsRequestStream(RequestOk.TYPE, IetfVersion.DRAFT_20));
        assertTrue(ControlCodec.startsRequestStream(0x11, IetfVersion.DRAFT_16));
    }

    @Test
    void errorCodesFollowTheirDraft() {
        assertEquals(0x4, RequestErrorCode.DOES_NOT_EXIST.code(IetfVersion.DRAFT_14));
        assertEquals(0x10, RequestErrorCode.DOES_NOT_EXIST.code(IetfVersion.DRAFT_15));
        assertEquals(-1, RequestErrorCode.REDIRECT.code(IetfVersion.DRAFT_17));
        assertEquals(0x34, RequestErrorCode.REDIRECT.code(IetfVersion.DRAFT_18));
        assertEquals(0x6, PublishDoneCode.TOO_FAR_BEHIND.code(IetfVersion.DRAFT_17));
        assertEquals(0x5, PublishDoneCode.TOO_FAR_BEHIND.code(IetfVersion.DRAFT_18));
        assertEquals(-1, StreamResetCode.TOO_FAR_BEHIND.code(IetfVersion.DRAFT_16));
        assertEquals(0x5, StreamResetCode.TOO_FAR_BEHIND.code(IetfVersion.DRAFT_20));
        assertEquals(0x4, StreamResetCode.UNKNOWN_OBJECT_STATUS.code(IetfVersion.DRAFT_17));
        assertEquals(0x6, StreamResetCode.UNKNOWN_OBJECT_STATUS.code(IetfVersion.DRAFT_18));
        assertSame(StreamResetCode.GOING_AWAY, StreamResetCode.of(0x4, IetfVersion.DRAFT_19));
        assertSame(IetfErrorCode.TOO_MANY_REQUESTS, IetfErrorCode.of(0x7, IetfVersion.DRAFT_16));
        assertSame(IetfErrorCode.INVALID_REQUIRED_REQUEST_ID, IetfErrorCode.of(0x7, IetfVersion.DRAFT_17));
        assertNull(IetfErrorCode.of(0x7, IetfVersion.DRAFT_18));
        assertEquals(-1, IetfErrorCode.TOO_MANY_REQUEST_UPDATES.code(IetfVersion.DRAFT_18));
    }
}
