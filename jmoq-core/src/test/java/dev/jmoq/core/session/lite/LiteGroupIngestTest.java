package dev.jmoq.core.session.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.GroupIngest;
import dev.jmoq.core.session.SessionStats;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.GroupHeader;
import dev.jmoq.wire.lite.GroupStreamEncoder;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A moq-lite group stream read into the model through the protocol-neutral {@link GroupIngest}. */
class LiteGroupIngestTest {
    private static final long SUBSCRIPTION = 7;

    private final Track track = new Track("video", null, CacheConfig.defaults());
    private final SessionStats stats = new SessionStats();
    private final Queue<Runnable> loop = new ArrayDeque<>();
    private final Stream stream = new Stream();

    /** A receiving stream that records STOP_SENDING. */
    private static final class Stream implements RecvStream {
        StreamReader reader;
        long stopCode = -1;

        @Override
        public void setReader(StreamReader reader) {
            this.reader = reader;
        }

        @Override
        public void stopSending(long code) {
            stopCode = code;
        }

        @Override
        public void setAutoRead(boolean autoRead) {
        }

        @Override
        public long id() {
            return 2;
        }
    }

    @AfterEach
    void clear() {
        track.clear();
    }

    private void ingest() {
        new GroupIngest(stream, loop::add, new LiteGroupDecoder(LiteVersion.DRAFT_04, 1 << 20), LiteErrors::code,
                (subscription, sequence) -> subscription == SUBSCRIPTION ? track : null, stats);
    }

    private static ByteBuf groupStream(long subscription, long sequence, String... frames) {
        GroupStreamEncoder encoder = new GroupStreamEncoder(LiteVersion.DRAFT_04);
        ByteBuf out = Unpooled.buffer();
        encoder.writeStreamHeader(out, new GroupHeader(subscription, sequence));
        for (String f : frames) {
            byte[] b = f.getBytes(StandardCharsets.UTF_8);
            encoder.writeFrameHeader(out, 0, b.length);
            out.writeBytes(b);
        }
        return out;
    }

    private void runLoop() {
        Runnable r;
        while ((r = loop.poll()) != null) {
            r.run();
        }
    }

    @Test
    void aStreamSplitAnywhereIsReassembledIntoOneGroup() {
        ingest();
        ByteBuf all = groupStream(SUBSCRIPTION, 42, "key", "delta");
        int n = all.readableBytes();
        stream.reader.onData(all.retainedSlice(0, 0)); // nothing yet, not even the type
        stream.reader.onData(all.retainedSlice(0, 1)); // the type alone
        stream.reader.onData(all.retainedSlice(1, 4));
        stream.reader.onData(all.retainedSlice(5, n - 5));
        all.release();
        runLoop();
        stream.reader.onFinish();
        Group g = track.bySequence(42);
        assertNotNull(g);
        assertTrue(g.isFinished());
        assertEquals(2, g.frameCount());
        assertEquals("key", g.frame(0).toString(StandardCharsets.UTF_8));
        assertEquals("delta", g.frame(1).toString(StandardCharsets.UTF_8));
        assertEquals(1, stats.groupsIn.sum());
        assertEquals(2, stats.framesIn.sum());
        assertEquals(-1, stream.stopCode);
    }

    @Test
    void aStreamOfAnotherTypeIsStoppedAsUnexpected() {
        ingest();
        ByteBuf wrong = Unpooled.buffer();
        VarInt.write(wrong, 0x3f);
        wrong.writeBytes(ByteBufUtil.decodeHexDump("0102"));
        stream.reader.onData(wrong);
        assertEquals(LiteErrorCode.UNEXPECTED_STREAM, stream.stopCode);
        assertEquals(0, stats.groupsIn.sum());
    }

    @Test
    void aGroupForNoSubscriptionIsStoppedAsNotFound() {
        ingest();
        stream.reader.onData(groupStream(SUBSCRIPTION + 1, 1, "x"));
        assertEquals(LiteErrorCode.NOT_FOUND, stream.stopCode);
        assertNull(track.bySequence(1));
    }

    @Test
    void aDuplicateGroupIsStoppedAsDuplicate() {
        ingest();
        stream.reader.onData(groupStream(SUBSCRIPTION, 5, "first"));
        stream.reader.onFinish();
        runLoop();
        Stream second = new Stream();
        new GroupIngest(second, loop::add, new LiteGroupDecoder(LiteVersion.DRAFT_04, 1 << 20), LiteErrors::code,
                (subscription, sequence) -> track, stats);
        second.reader.onData(groupStream(SUBSCRIPTION, 5, "again"));
        assertEquals(LiteErrorCode.DUPLICATE, second.stopCode);
        assertEquals(1, stats.groupsRefused.sum());
        assertEquals("first", track.bySequence(5).frame(0).toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFinBeforeTheHeaderIsADecodeError() {
        ingest();
        ByteBuf typeOnly = Unpooled.buffer();
        VarInt.write(typeOnly, 0); // the GROUP type, then nothing
        stream.reader.onData(typeOnly);
        stream.reader.onFinish();
        assertEquals(LiteErrorCode.DECODE, stream.stopCode);
        assertEquals(1, stats.streamErrors.sum());
    }

    @Test
    void aResetAbortsTheGroupWithThePeersCode() {
        ingest();
        stream.reader.onData(groupStream(SUBSCRIPTION, 9, "part"));
        stream.reader.onReset(77);
        Group g = track.bySequence(9);
        assertTrue(g.isAborted());
        assertEquals(77, g.abortCode());
    }
}
