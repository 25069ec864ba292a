package dev.jmoq.core.session.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jmoq.core.model.Broadcast;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.GroupFraming;
import dev.jmoq.core.session.GroupIngest;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamEncoder;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.PrimitiveIterator;
import java.util.Queue;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * moq-lite-05 frame headers and timestamps (draft-lcurley-moq-lite-05, "Frame"): each stream's first frame
 * is stamped against 0, later ones by zigzag delta; local tracks are stamped with the write time in ms; a
 * track filled by a lite-05 peer keeps the stamps that peer sent: the ingest stores them in the model, and
 * every stream sends them again.
 */
class Lite05FramingTest {
    private static final LiteVersion V = LiteVersion.DRAFT_05;

    private static String hex(ByteBuf b) {
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void localFramesAreStampedWithTheWriteTimeInMillisAsZigzagDeltas() {
        Broadcast b = new Broadcast("room/alice", CacheConfig.defaults());
        Track t = b.createTrack("video");
        Group g = t.createGroup(0);
        for (int size : new int[] {3, 5, 0}) {
            g.append(Unpooled.buffer(size).writeZero(size)); // frames without a timestamp in the model
        }
        PrimitiveIterator.OfLong clock = LongStream.of(3000, 1500, 1500).iterator();
        LiteFraming framing = new LiteFraming(V, clock::nextLong);
        GroupFraming.FrameHeaders headers = framing.frames(g);
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        // +3000 is 0x5770 (zigzag 6000 as a varint), -1500 is 0x4bb7 (zigzag 2999), 0 is 00.
        assertEquals("577003", hex(headers.frameHeader(alloc, 0, 3)));
        assertEquals("4bb705", hex(headers.frameHeader(alloc, 1, 5)));
        assertEquals("0000", hex(headers.frameHeader(alloc, 2, 0)));
        assertThrows(IllegalStateException.class, () -> framing.frameHeader(alloc, 1),
                "draft 05 headers depend on the stream");
        assertEquals(FrameTimestamps.LOCAL_TIMESCALE, FrameTimestamps.localInfo().timescale());
        g.finish();
        t.clear();
    }

    @Test
    void draft04FramesCarryNoTimestamp() {
        Broadcast b = new Broadcast("x", CacheConfig.defaults());
        Track t = b.createTrack("video");
        Group g = t.createGroup(0);
        LiteFraming framing = new LiteFraming(LiteVersion.DRAFT_04, () -> {
            throw new AssertionError("draft 04 reads no clock");
        });
        assertEquals("03", hex(framing.frames(g).frameHeader(ByteBufAllocator.DEFAULT, 0, 3)));
        g.finish();
        t.clear();
    }

    @Test
    void aLite05SourcesStampsSurviveIngestAndAreSentAgainByEveryStream() {
        // A broadcast whose source is a lite-05 session (it knows its peer's TRACK_INFO).
        Broadcast b = new Broadcast("room/alice", CacheConfig.defaults(), new Lite05Source(), null, 0, java.util.List.of());
        Track t = b.createTrack("video");
        Queue<Runnable> loop = new ArrayDeque<>();
        RecvStream stream = new RecvStream() {
            @Override
            public void setReader(StreamReader reader) {
            }

            @Override
            public void stopSending(long code) {
                throw new AssertionError("stopped with " + code);
            }

            @Override
            public void setAutoRead(boolean autoRead) {
            }

            @Override
            public long id() {
                return 3;
            }
        };
        GroupIngest ingest = new GroupIngest(stream, loop::add,
                new LiteGroupDecoder(V, 1 << 20), LiteErrors::code,
                (sub, seq) -> t, new SessionStats());
        GroupStreamEncoder enc = new GroupStreamEncoder(V);
        ByteBuf in = Unpooled.buffer();
        enc.writeStreamHeader(in, new GroupHeader(0, 9));
        long[] sent = {90_000, 93_000, 91_500};
        for (long ts : sent) {
            enc.writeFrameHeader(in, ts, 1);
            in.writeByte('x');
        }
        ingest.onData(in);
        ingest.onFinish();
        loop.forEach(Runnable::run);
        Group g = t.bySequence(9);
        assertEquals(3, g.frameCount());
        for (int i = 0; i < 3; i++) {
            assertEquals(sent[i], g.timestamp(i), "the model holds the absolute timestamp");
        }
        // Two streams of the same group (a group stream and a FETCH) both start against 0 with the source's values.
        LiteFraming framing = new LiteFraming(V, () -> {
            throw new AssertionError("a lite-05 source's frames are not stamped locally");
        });
        for (int stream2 = 0; stream2 < 2; stream2++) {
            GroupFraming.FrameHeaders h = framing.frames(g);
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                got.append(hex(h.frameHeader(ByteBufAllocator.DEFAULT, i, 1)));
            }
            ByteBuf expected = Unpooled.buffer();
            GroupStreamEncoder e = new GroupStreamEncoder(V);
            for (long ts : sent) {
                e.writeFrameHeader(expected, ts, 1);
            }
            assertEquals(hex(expected), got.toString());
        }
        assertEquals(new dev.jmoq.wire.lite.TrackInfo(2, true, 5000, 90_000), FrameTimestamps.info(b, "video").join(),
                "a lite-05 source's TRACK_INFO is relayed unchanged");
        assertEquals(FrameTimestamps.localInfo(),
                FrameTimestamps.info(new Broadcast("local", CacheConfig.defaults()), "video").join());
        t.clear();
    }

    /** A track source standing for a lite-05 session. */
    private record Lite05Source() implements dev.jmoq.core.model.TrackSource, FrameTimestamps.Source {
        @Override
        public void onTrackRequested(Track track) {
        }

        @Override
        public void onTrackUnused(Track track) {
        }

        @Override
        public java.util.concurrent.CompletableFuture<dev.jmoq.wire.lite.TrackInfo> trackInfo(Broadcast broadcast, String track) {
            return java.util.concurrent.CompletableFuture.completedFuture(new dev.jmoq.wire.lite.TrackInfo(2, true, 5000, 90_000));
        }
    }
}
