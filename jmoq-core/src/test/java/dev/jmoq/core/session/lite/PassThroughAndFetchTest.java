package dev.jmoq.core.session.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackCursor;
import dev.jmoq.core.session.EgressStats;
import dev.jmoq.core.session.FetchServe;
import dev.jmoq.core.session.GroupEgress;
import dev.jmoq.core.session.GroupIngest;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.core.session.TestLink;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamEncoder;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a relay receives it sends on unchanged: a moq-lite-05 group stream (timestamps included) goes
 * through ingest, the cache and the egress byte for byte; a FETCH of a cached group is answered with the
 * group's frame records on the request's stream; a FETCH of a group the cache lacks is not served (the
 * family refuses it; a relay's moq-lite sessions reset the stream with NOT_FOUND, see RelayRangeAndFetchTest).
 */
class PassThroughAndFetchTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final Track track = new Track("t", null, new CacheConfig(8, Duration.ofHours(1), ByteBudget.unlimited()));
    private final LiteFraming framing05 = new LiteFraming(LiteVersion.DRAFT_05);
    private final EgressStats egressStats = new EgressStats();
    private final TestLink link = new TestLink(loop, 100);

    @AfterEach
    void tearDown() throws Exception {
        on(() -> {
            track.close();
            track.clear();
            link.releaseAll();
            return null;
        });
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aLite05GroupStreamLeavesExactlyAsItArrived() throws Exception {
        ByteBuf wire = groupStream(9, 7, new long[] {1000, 1033, 1020}, "aa", "bbb", "c");
        String expected = ByteBufUtil.hexDump(wire);
        GroupEgress egress = on(() -> {
            GroupEgress e = new GroupEgress(link, track, TrackCursor.LATEST, TrackCursor.NO_END, 9, framing05, 4,
                    LiteErrorCode.LAGGED, egressStats, code -> { });
            e.start();
            return e;
        });
        on(() -> {
            FeedStream in = new FeedStream();
            new GroupIngest(in, loop, new LiteGroupDecoder(LiteVersion.DRAFT_05, 1 << 20), LiteErrors::code,
                    (sub, seq) -> track, new SessionStats());
            in.reader.onData(wire);
            in.reader.onFinish();
            return null;
        });
        settle();
        on(link::deliverAll);
        TestLink.Stream out = link.streams.getFirst();
        assertTrue(out.finished);
        assertEquals(expected, ByteBufUtil.hexDump(out.carried));
        Group cached = track.bySequence(7);
        assertEquals(1033, cached.timestamp(1), "the cache holds the absolute timestamps");
        on(() -> {
            egress.cancel(0);
            return null;
        });
    }

    @Test
    void aFetchOfACachedGroupIsAnsweredWithItsFramesThenFin() throws Exception {
        on(() -> {
            Group g = track.createGroup(3);
            g.append(Group.NEXT_OBJECT, 500, null, 0, bytes("xy"), true);
            g.append(Group.NEXT_OBJECT, 540, null, 0, bytes("z"), true);
            g.finish();
            track.createGroup(4).finish();
            return null;
        });
        TestLink.Stream stream = on(() -> (TestLink.Stream) link.openUni().getNow());
        FetchServe fetch = on(() -> {
            FetchServe f = new FetchServe(loop, stream, track, 3, framing05, egressStats);
            assertTrue(f.start());
            return f;
        });
        settle();
        ByteBuf expected = Unpooled.buffer();
        GroupStreamEncoder enc = new GroupStreamEncoder(LiteVersion.DRAFT_05);
        enc.writeFrameHeader(expected, 500, 2);
        expected.writeBytes(new byte[] {'x', 'y'});
        enc.writeFrameHeader(expected, 540, 1);
        expected.writeByte('z');
        assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(stream.queued), "frame records, no GROUP header");
        assertTrue(stream.finished);
        assertTrue(on(fetch::isDone));
        assertEquals(1, egressStats.fetchesServed.sum());
    }

    @Test
    void aFetchOfAGroupTheCacheLacksIsNotServed() throws Exception {
        on(() -> {
            track.createGroup(3).finish();
            return null;
        });
        TestLink.Stream stream = on(() -> (TestLink.Stream) link.openUni().getNow());
        boolean served = on(() -> new FetchServe(loop, stream, track, 2, framing05, egressStats).start());
        assertEquals(false, served, "not served: the family refuses the request (moq-lite: NOT_FOUND reset)");
        assertEquals(-1, stream.resetCode, "the stream is left to the family");
        assertEquals(1, egressStats.fetchesNotFound.sum());
    }

    /** A moq-lite-05 group stream as a publisher sends it: type, GROUP header, timestamped frames. */
    private static ByteBuf groupStream(long subscription, long sequence, long[] timestamps, String... frames) {
        ByteBuf out = Unpooled.buffer();
        GroupStreamEncoder enc = new GroupStreamEncoder(LiteVersion.DRAFT_05);
        enc.writeStreamHeader(out, new GroupHeader(subscription, sequence));
        for (int i = 0; i < frames.length; i++) {
            enc.writeFrameHeader(out, timestamps[i], frames[i].length());
            out.writeCharSequence(frames[i], java.nio.charset.StandardCharsets.US_ASCII);
        }
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(out.readableBytes());
        pooled.writeBytes(out);
        out.release();
        return pooled;
    }

    private static ByteBuf bytes(String s) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer();
        b.writeCharSequence(s, java.nio.charset.StandardCharsets.US_ASCII);
        return b;
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            on(() -> null);
        }
    }

    /** The receiving half of a stream the test feeds by hand. */
    private static final class FeedStream implements RecvStream {
        StreamReader reader;

        @Override
        public void setReader(StreamReader reader) {
            this.reader = reader;
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
    }
}
