package dev.jmoq.wire.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Malformed input fails with the right code, leaves the buffer untouched, and allocates nothing large. */
class LiteMalformedTest {
    private static final int MAX = LiteLimits.DEFAULT_MAX_MESSAGE;
    private static final LiteVersion V4 = LiteVersion.DRAFT_04;

    private static ProtocolException fails(String hex, LiteVersion v, MessageDecoder<?> d) {
        ByteBuf in = Vectors.wrap(HexFormat.of().parseHex(hex));
        try {
            long before = allocated();
            ProtocolException e = assertThrows(ProtocolException.class, () -> LiteCodec.tryRead(in, v, d, MAX));
            long used = allocated() - before;
            assertTrue(used < 1 << 20, "decoding " + hex + " allocated " + used + " bytes");
            assertEquals(0, in.readerIndex(), "a failed decode consumes nothing");
            return e;
        } finally {
            in.release();
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void truncatedBodyIsADecodeError() {
        // SUBSCRIBE whose size (3) cuts the broadcast string (length 10) short.
        ProtocolException e = fails("03070a72", V4, Subscribe.DECODER);
        assertEquals(LiteErrorCode.DECODE, e.code());
        assertTrue(e.sessionFatal());
        // GOAWAY with an empty body: the URI length is missing.
        assertEquals(LiteErrorCode.DECODE, fails("00", V4, Goaway.DECODER).code());
    }

    @Test
    void trailingBytesAreADecodeError() {
        // GOAWAY "a" followed by a stray byte inside the declared size.
        assertEquals(LiteErrorCode.DECODE, fails("03016100", V4, Goaway.DECODER).code());
    }

    @Test
    void oversizedLengthFailsBeforeTheBodyArrives() {
        // Size 2^40 with no body at all: rejected from the prefix alone, not awaited.
        ProtocolException e = fails("c000010000000000", V4, Subscribe.DECODER);
        assertEquals(LiteErrorCode.BOUNDS_EXCEEDED, e.code());
        assertTrue(e.sessionFatal());
        // Just above the caller's bound.
        ByteBuf in = Vectors.wrap(HexFormat.of().parseHex("4041"));
        try {
            assertEquals(LiteErrorCode.BOUNDS_EXCEEDED,
                    assertThrows(ProtocolException.class, () -> LiteCodec.tryRead(in, V4, Goaway.DECODER, 64)).code());
        } finally {
            in.release();
        }
        // The legacy 16-bit framing honours the bound too.
        assertEquals(LiteErrorCode.BOUNDS_EXCEEDED, failsWithMax("ffff", ClientSetup.DECODER, 1024).code());
    }

    private static ProtocolException failsWithMax(String hex, MessageDecoder<?> d, int max) {
        ByteBuf in = Vectors.wrap(HexFormat.of().parseHex(hex));
        try {
            return assertThrows(ProtocolException.class, () -> LiteCodec.tryRead(in, V4, d, max));
        } finally {
            in.release();
        }
    }

    @Test
    void oversizedStringLengthIsRejectedBeforeAllocating() {
        // GOAWAY whose URI claims 2^40 bytes.
        assertEquals(LiteErrorCode.BOUNDS_EXCEEDED, fails("08c000010000000000", V4, Goaway.DECODER).code());
        // A string longer than MAX_STRING even though the body could hold it.
        String len = "5001"; // 4097 as a 2-byte varint
        assertEquals(LiteErrorCode.BOUNDS_EXCEEDED, fails("02" + len, V4, Goaway.DECODER).code());
    }

    @Test
    void oversizedCountsAreRejected() {
        // ANNOUNCE (draft 04) claiming 1000 hops.
        assertEquals(LiteErrorCode.BOUNDS_EXCEEDED, fails("04010043e8", V4, Announce.DECODER).code());
        // Draft 03 carries only a count; a forged huge count must not build a huge list.
        assertEquals(LiteErrorCode.BOUNDS_EXCEEDED,
                fails("0a0100c0000000ffffffff", LiteVersion.DRAFT_03, Announce.DECODER).code());
        // ANNOUNCE_INIT claiming 2^30 entries in a 5-byte body.
        assertEquals(LiteErrorCode.BOUNDS_EXCEEDED,
                fails("08c000000040000000", LiteVersion.DRAFT_01, AnnounceInit.DECODER).code());
        // ANNOUNCE_INIT claiming 1000 entries (under the cap) in a 2-byte body: truncated, refused before allocating.
        assertEquals(LiteErrorCode.DECODE, fails("0243e8", LiteVersion.DRAFT_01, AnnounceInit.DECODER).code());
        // CLIENT_SETUP offering 200 versions.
        assertEquals(LiteErrorCode.BOUNDS_EXCEEDED, fails("000240c8", V4, ClientSetup.DECODER).code());
        // SETUP with 65 parameters.
        assertEquals(LiteErrorCode.TOO_MANY_PARAMETERS, fails("024041", LiteVersion.DRAFT_05, Setup.DECODER).code());
    }

    @Test
    void badUtf8IsRejected() {
        for (String bad : new String[] {"fffe", "c080", "eda080", "e282"}) {
            int n = bad.length() / 2;
            String body = String.format("%02x", n) + bad;
            ProtocolException e = fails(String.format("%02x", body.length() / 2) + body, V4, Goaway.DECODER);
            assertEquals(LiteErrorCode.DECODE, e.code(), bad);
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
    }

    @Test
    void invalidFieldValuesAreRejected() {
        // SUBSCRIBE_UPDATE with ordered = 2.
        assertEquals(LiteErrorCode.DECODE, fails("050902000000", V4, SubscribeUpdate.DECODER).code());
        // ANNOUNCE status 2 (restart) is only valid from draft 05.
        assertEquals(LiteErrorCode.DECODE, fails("0402016100", V4, Announce.DECODER).code());
        ByteBuf restart = Vectors.wrap(HexFormat.of().parseHex("0402016100"));
        try {
            assertTrue(assertDoesNotThrow(restart).active());
        } finally {
            restart.release();
        }
        // TRACK_INFO with timescale 0.
        assertEquals(LiteErrorCode.DECODE, fails("0403010000", LiteVersion.DRAFT_05, TrackInfo.DECODER).code());
        // Duplicate SETUP parameter.
        assertEquals(LiteErrorCode.DUPLICATE, fails("0702010101010102", LiteVersion.DRAFT_05, Setup.DECODER).code());
        // Unknown subscribe response type.
        assertEquals(LiteErrorCode.UNEXPECTED_MESSAGE, fails("0700", V4, SubscribeResponse.DECODER).code());
        assertEquals(LiteErrorCode.UNEXPECTED_MESSAGE, fails("0300", LiteVersion.DRAFT_05, SubscribeResponse.DECODER).code());
    }

    private static Announce assertDoesNotThrow(ByteBuf in) {
        try {
            return LiteCodec.tryRead(in, LiteVersion.DRAFT_05, Announce.DECODER, MAX);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownStreamTypesResetOnlyThatStream() {
        for (String hex : new String[] {"07", "4100", "00"}) {
            ByteBuf in = Vectors.wrap(HexFormat.of().parseHex(hex));
            try {
                ProtocolException e = assertThrows(ProtocolException.class, () -> LiteControlType.tryRead(in, V4));
                assertEquals(LiteErrorCode.UNEXPECTED_STREAM, e.code());
                assertFalse(e.sessionFatal());
                assertEquals(0, in.readerIndex());
            } finally {
                in.release();
            }
        }
        ByteBuf uni = Vectors.wrap(new byte[] {2});
        ByteBuf setup = Vectors.wrap(new byte[] {1});
        try {
            assertEquals(LiteErrorCode.UNEXPECTED_STREAM,
                    assertThrows(ProtocolException.class, () -> LiteDataType.tryRead(uni, LiteVersion.DRAFT_05)).code());
            assertEquals(LiteErrorCode.UNEXPECTED_STREAM,
                    assertThrows(ProtocolException.class, () -> LiteDataType.tryRead(setup, V4)).code());
        } finally {
            uni.release();
            setup.release();
        }
    }

    @Test
    void datagramsOnlyFromDraft05AndTruncatedHeadersFail() {
        ByteBuf d = Vectors.wrap(HexFormat.of().parseHex("078001"));
        try {
            assertEquals(LiteErrorCode.VERSION, assertThrows(ProtocolException.class, () -> Datagram.decode(d, V4)).code());
            assertEquals(LiteErrorCode.DECODE,
                    assertThrows(ProtocolException.class, () -> Datagram.decode(d, LiteVersion.DRAFT_05)).code());
            assertEquals(1, d.refCnt());
        } finally {
            d.release();
        }
    }

    @Test
    void datagramsOverTwelveHundredBytesAreDroppedNotFatal() throws ProtocolException {
        // Header 00 02 6ee0 (4 bytes): 1196 bytes of payload is the largest that fits.
        assertTrue(Datagram.fits(0, 2, 12000, 1196));
        assertFalse(Datagram.fits(0, 2, 12000, 1197));
        ByteBuf ok = io.netty.buffer.Unpooled.buffer(1200);
        ok.writeBytes(HexFormat.of().parseHex("00026ee0")).writeZero(1196);
        ByteBuf over = io.netty.buffer.Unpooled.buffer(1201);
        over.writeBytes(HexFormat.of().parseHex("00026ee0")).writeZero(1197);
        try {
            Datagram d = Datagram.decode(ok, LiteVersion.DRAFT_05);
            assertEquals(1196, d.payload().readableBytes());
            d.release();
            ProtocolException e = assertThrows(ProtocolException.class, () -> Datagram.decode(over, LiteVersion.DRAFT_05));
            assertEquals(LiteErrorCode.BOUNDS_EXCEEDED, e.code());
            assertFalse(e.sessionFatal());
            assertEquals(1, over.refCnt());
        } finally {
            ok.release();
            over.release();
        }
    }
}
