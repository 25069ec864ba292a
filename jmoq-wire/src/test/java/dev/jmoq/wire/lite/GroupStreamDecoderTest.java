package dev.jmoq.wire.lite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The group stream reader: every split of the bytes gives the same frames, as views, with nothing leaked. */
class GroupStreamDecoderTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private record Sent(long timestamp, byte[] payload) {
    }

    private static List<Sent> frames() {
        Random r = new Random(7);
        List<Sent> out = new ArrayList<>();
        long ts = 5000;
        for (int i = 0; i < 12; i++) {
            int size = switch (i % 4) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 63 + i;
                default -> 70 + 5 * i; // two-byte size varints
            };
            byte[] p = new byte[size];
            r.nextBytes(p);
            ts += r.nextInt(200) - 60; // sometimes backwards: zigzag deltas go negative
            out.add(new Sent(ts, p));
        }
        return out;
    }

    /** Type, header and frames of a group stream as the encoder writes them. */
    private static byte[] stream(LiteVersion v, List<Sent> frames) {
        ByteBuf out = Unpooled.buffer();
        GroupStreamEncoder enc = new GroupStreamEncoder(v);
        enc.writeStreamHeader(out, new GroupHeader(3, 1L << 33));
        for (Sent f : frames) {
            enc.writeFrameHeader(out, f.timestamp, f.payload.length);
            out.writeBytes(f.payload);
        }
        byte[] bytes = Vectors.bytes(out);
        out.release();
        return bytes;
    }

    /** Feeds {@code bytes} (after the type byte) in the given chunks and checks every frame; returns the fed chunks. */
    private static List<ByteBuf> decode(LiteVersion v, byte[] bytes, int[] cuts, List<Sent> expected) throws ProtocolException {
        List<ByteBuf> fed = new ArrayList<>();
        List<Frame> got = new ArrayList<>();
        try (GroupStreamDecoder dec = GroupStreamDecoder.forGroupStream(ALLOC, v, 4096)) {
            int from = 1; // the caller reads the uni stream type before handing bytes over
            assertEquals(0, bytes[0]);
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : bytes.length;
                if (to < from) {
                    continue;
                }
                ByteBuf chunk = ALLOC.buffer(to - from);
                chunk.writeBytes(bytes, from, to - from);
                fed.add(chunk);
                chunk.retain(); // keep a handle to check the decoder lets go of it
                dec.feed(chunk);
                from = to;
                if (dec.readHeader() == null) {
                    continue;
                }
                for (Frame f; (f = dec.readFrame()) != null; ) {
                    got.add(f);
                }
            }
            assertEquals(new GroupHeader(3, 1L << 33), dec.header());
            dec.finish();
            assertEquals(0, dec.bufferedBytes());
        }
        try {
            assertEquals(expected.size(), got.size());
            for (int i = 0; i < expected.size(); i++) {
                Frame f = got.get(i);
                assertEquals(v.hasFrameTimestamps() ? expected.get(i).timestamp : Frame.NO_TIMESTAMP, f.timestamp(), "frame " + i);
                assertArrayEquals(expected.get(i).payload, Vectors.bytes(f.payload()), "frame " + i);
            }
        } finally {
            got.forEach(Frame::release);
        }
        for (ByteBuf chunk : fed) {
            assertEquals(1, chunk.refCnt(), "only our handle remains once frames and decoder are released");
            chunk.release();
        }
        return fed;
    }

    @Test
    void everySingleSplitGivesTheSameFrames() throws ProtocolException {
        for (LiteVersion v : LiteVersion.values()) {
            List<Sent> frames = frames();
            byte[] bytes = stream(v, frames);
            for (int cut = 1; cut < bytes.length; cut++) {
                decode(v, bytes, new int[] {cut}, frames);
            }
        }
    }

    @Test
    void byteByByteGivesTheSameFrames() throws ProtocolException {
        for (LiteVersion v : LiteVersion.values()) {
            List<Sent> frames = frames();
            byte[] bytes = stream(v, frames);
            int[] cuts = new int[bytes.length - 1];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = i + 1;
            }
            decode(v, bytes, cuts, frames);
        }
    }

    @Test
    void payloadsOverAFewChunksAreViewsOfTheReceivedBytesNotCopies() throws ProtocolException {
        LiteVersion v = LiteVersion.DRAFT_05;
        List<Sent> frames = List.of(new Sent(1, new byte[] {1, 2, 3, 4}), new Sent(2, new byte[] {5, 6, 7, 8}));
        byte[] bytes = stream(v, frames);
        ByteBuf first = Unpooled.wrappedBuffer(bytes, 1, bytes.length - 3);
        ByteBuf second = Unpooled.wrappedBuffer(bytes, bytes.length - 2, 2);
        try (GroupStreamDecoder dec = GroupStreamDecoder.forGroupStream(ALLOC, v, 64)) {
            dec.feed(first);
            dec.feed(second);
            assertNotNull(dec.readHeader());
            Frame a = dec.readFrame();
            Frame b = dec.readFrame(); // spans both chunks
            try {
                bytes[bytes.length - 1] = 42;
                bytes[bytes.length - 7] = 41;
                assertEquals(42, b.payload().getByte(3), "spanning payload sees the received bytes");
                assertEquals(41, a.payload().getByte(3), "single-chunk payload sees the received bytes");
            } finally {
                a.release();
                b.release();
            }
        }
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
    }

    @Test
    void aPayloadOverManyChunksIsCopiedIntoOneBufferAndTheChunksLetGo() throws ProtocolException {
        LiteVersion v = LiteVersion.DRAFT_04;
        for (int chunks : new int[] {GroupStreamDecoder.MAX_VIEW_CHUNKS, GroupStreamDecoder.MAX_VIEW_CHUNKS + 1, 900}) {
            byte[] payload = new byte[chunks * 7];
            new Random(chunks).nextBytes(payload);
            List<Sent> frames = List.of(new Sent(0, payload));
            byte[] bytes = stream(v, frames);
            int headerEnd = bytes.length - payload.length; // type, GROUP header and frame header
            List<ByteBuf> fed = new ArrayList<>();
            try (GroupStreamDecoder dec = GroupStreamDecoder.forGroupStream(ALLOC, v, 1 << 20)) {
                ByteBuf head = ALLOC.buffer().writeBytes(bytes, 1, headerEnd - 1);
                dec.feed(head);
                assertNotNull(dec.readHeader());
                for (int i = 0; i < chunks; i++) {
                    ByteBuf chunk = ALLOC.buffer(7).writeBytes(bytes, headerEnd + 7 * i, 7);
                    fed.add(chunk.retain());
                    dec.feed(chunk);
                }
                Frame f = dec.readFrame();
                try {
                    assertArrayEquals(payload, Vectors.bytes(f.payload()));
                    if (chunks <= GroupStreamDecoder.MAX_VIEW_CHUNKS) {
                        assertEquals(chunks, f.payload().nioBufferCount(), "a view of its chunks");
                        assertEquals(2, fed.getFirst().refCnt(), "the view holds the chunk");
                    } else {
                        assertEquals(1, f.payload().nioBufferCount(), "one buffer");
                        assertEquals(1, fed.getFirst().refCnt(), "the copy holds no chunk");
                    }
                } finally {
                    f.release();
                }
                assertNull(dec.readFrame());
                dec.finish();
            }
            for (ByteBuf chunk : fed) {
                assertEquals(1, chunk.refCnt());
                chunk.release();
            }
        }
    }

    @Test
    void oversizedFrameFailsBeforeItsPayloadArrives() throws ProtocolException {
        LiteVersion v = LiteVersion.DRAFT_04;
        try (GroupStreamDecoder dec = GroupStreamDecoder.forGroupStream(ALLOC, v, 100)) {
            dec.feed(Unpooled.wrappedBuffer(new byte[] {2, 1, 0, 0x40, 101}));
            assertNotNull(dec.readHeader());
            ProtocolException e = assertThrows(ProtocolException.class, dec::readFrame);
            assertEquals(LiteErrorCode.FRAME_TOO_LARGE, e.code());
            assertFalse(e.sessionFatal());
        }
    }

    @Test
    void streamEndingMidFrameOrBeforeHeaderIsMalformed() throws ProtocolException {
        try (GroupStreamDecoder dec = GroupStreamDecoder.forGroupStream(ALLOC, LiteVersion.DRAFT_03, 100)) {
            dec.feed(Unpooled.wrappedBuffer(new byte[] {2, 1}));
            assertNull(dec.readHeader());
            assertEquals(LiteErrorCode.DECODE, assertThrows(ProtocolException.class, dec::finish).code());
            dec.feed(Unpooled.wrappedBuffer(new byte[] {0, 5, 1, 2}));
            assertNotNull(dec.readHeader());
            assertNull(dec.readFrame());
            assertEquals(LiteErrorCode.DECODE, assertThrows(ProtocolException.class, dec::finish).code());
        }
    }

    @Test
    void fetchStreamsCarryFramesWithoutAHeader() throws ProtocolException {
        LiteVersion v = LiteVersion.DRAFT_05;
        ByteBuf out = Unpooled.buffer();
        GroupStreamEncoder enc = new GroupStreamEncoder(v);
        enc.writeFrameHeader(out, 90, 2);
        out.writeBytes(new byte[] {9, 9});
        enc.writeFrameHeader(out, 30, 0);
        try (GroupStreamDecoder dec = GroupStreamDecoder.forFetchStream(ALLOC, v, 10)) {
            dec.feed(out);
            Frame a = dec.readFrame();
            Frame b = dec.readFrame();
            assertEquals(90, a.timestamp());
            assertEquals(2, a.payload().readableBytes());
            assertEquals(30, b.timestamp());
            assertEquals(0, b.payload().readableBytes());
            a.release();
            b.release();
            assertNull(dec.readFrame());
            dec.finish();
            assertThrows(IllegalStateException.class, dec::readHeader);
        }
    }

    @Test
    void negativeTimestampsAreRejected() {
        try (GroupStreamDecoder dec = GroupStreamDecoder.forGroupStream(ALLOC, LiteVersion.DRAFT_05, 10)) {
            // header, then a frame whose delta is -1 from 0
            dec.feed(Unpooled.wrappedBuffer(new byte[] {2, 1, 0, 1, 0}));
            assertTrue(assertDoesNotThrowHeader(dec));
            assertEquals(LiteErrorCode.BOUNDS_EXCEEDED, assertThrows(ProtocolException.class, dec::readFrame).code());
        }
    }

    private static boolean assertDoesNotThrowHeader(GroupStreamDecoder dec) {
        try {
            return dec.readHeader() != null;
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closedDecoderReleasesWhatItIsFed() {
        GroupStreamDecoder dec = GroupStreamDecoder.forGroupStream(ALLOC, LiteVersion.DRAFT_04, 10);
        ByteBuf pending = ALLOC.buffer(4).writeBytes(new byte[] {2, 1, 0, 3});
        dec.feed(pending.retain());
        dec.close();
        assertEquals(1, pending.refCnt());
        pending.release();
        ByteBuf late = ALLOC.buffer(1).writeByte(1);
        assertThrows(IllegalStateException.class, () -> dec.feed(late));
        assertEquals(0, late.refCnt());
    }
}
