package dev.jmoq.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.ConnectionHandler;
import dev.jmoq.transport.MoqConnection;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.core.session.lite.LiteFraming;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the egress hands a stream: one write per group and drain (header, frame headers and frames
 * together), the FIN on the last data of an ended group, nothing while the stream is not writable.
 */
class GroupEgressTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final List<RecordingStream> streams = new ArrayList<>();
    private final LiteFraming framing = new LiteFraming(LiteVersion.DRAFT_04);
    private final Track track = new Track("t", null, new CacheConfig(8, Duration.ofHours(1), ByteBudget.unlimited()));
    private boolean writable = true;

    @AfterEach
    void tearDown() throws Exception {
        on(() -> {
            track.close();
            return null;
        });
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aOneFrameGroupIsOneWriteCarryingHeaderFrameAndFin() throws Exception {
        GroupEgress egress = start();
        on(() -> {
            Group g = track.createGroup(0);
            g.append(payload(1200, 7));
            g.finish();
            return null;
        });
        settle();
        assertEquals(1, streams.size());
        RecordingStream s = streams.getFirst();
        assertEquals(1, s.writes.size(), "header, frame header and frame in one write");
        assertTrue(s.finished);
        assertEquals(hex(expected(0, payload(1200, 7))), s.writes.getFirst());
        on(() -> {
            egress.cancel(0);
            return null;
        });
    }

    @Test
    void framesArrivedTogetherAreOneWriteAndTheLastOneCarriesTheFin() throws Exception {
        GroupEgress egress = start();
        Group[] g = new Group[1];
        on(() -> {
            g[0] = track.createGroup(3);
            g[0].append(payload(10, 1));
            g[0].append(payload(20, 2));
            return null;
        });
        settle();
        RecordingStream s = streams.getFirst();
        assertEquals(1, s.writes.size());
        assertFalse(s.finished, "the group is still open");
        assertEquals(hex(expected(3, payload(10, 1), payload(20, 2))), s.writes.getFirst());
        on(() -> {
            g[0].append(payload(30, 3));
            g[0].finish();
            return null;
        });
        settle();
        assertEquals(2, s.writes.size());
        assertTrue(s.finished);
        assertEquals(hex(frameOnly(payload(30, 3))), s.writes.get(1), "the FIN rides on the last frame");
        on(() -> {
            egress.cancel(0);
            return null;
        });
    }

    @Test
    void nothingIsWrittenWhileTheStreamIsNotWritableThenEverythingInOneWrite() throws Exception {
        writable = false;
        GroupEgress egress = start();
        on(() -> {
            Group g = track.createGroup(5);
            g.append(payload(100, 1));
            g.append(payload(100, 2));
            g.finish();
            return null;
        });
        settle();
        RecordingStream s = streams.getFirst();
        assertEquals(0, s.writes.size(), "the header waits for the stream too");
        on(() -> {
            s.writable = true;
            s.onWritable.run();
            return null;
        });
        settle();
        assertEquals(1, s.writes.size());
        assertTrue(s.finished);
        assertEquals(hex(expected(5, payload(100, 1), payload(100, 2))), s.writes.getFirst());
        on(() -> {
            egress.cancel(0);
            return null;
        });
    }

    @Test
    void closingWithAPendingHeaderResetsTheStreamAndReleasesEverything() throws Exception {
        writable = false;
        GroupEgress egress = start();
        Group[] g = new Group[1];
        on(() -> {
            g[0] = track.createGroup(1);
            g[0].append(payload(100, 1));
            return null;
        });
        settle();
        on(() -> {
            egress.cancel(LiteErrorCode.CLOSED);
            g[0].finish(); // the producer lets go of its reference
            return null;
        });
        RecordingStream s = streams.getFirst();
        assertEquals(0, s.writes.size());
        assertEquals(LiteErrorCode.CLOSED, s.resetCode);
        // The leak detector (PARANOID) fails the test if the header or a frame slice was not released.
    }

    // ---- fixtures ----

    private GroupEgress start() throws Exception {
        return on(() -> {
            GroupEgress e = new GroupEgress(new Connection(), track, 9, framing, 4, LiteErrorCode.LAGGED,
                    new EgressStats(), code -> { });
            e.start();
            return e;
        });
    }

    private ByteBuf expected(long sequence, ByteBuf... frames) {
        ByteBuf out = Unpooled.buffer();
        ByteBuf h = framing.groupHeader(ByteBufAllocator.DEFAULT, 9, sequence);
        out.writeBytes(h);
        h.release();
        for (ByteBuf f : frames) {
            ByteBuf one = frameOnly(f);
            out.writeBytes(one);
        }
        return out;
    }

    private ByteBuf frameOnly(ByteBuf frame) {
        ByteBuf out = Unpooled.buffer();
        new dev.jmoq.wire.lite.GroupStreamEncoder(LiteVersion.DRAFT_04).writeFrameHeader(out, 0, frame.readableBytes());
        out.writeBytes(frame);
        frame.release();
        return out;
    }

    private static ByteBuf payload(int size, int fill) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(size);
        for (int i = 0; i < size; i++) {
            b.writeByte(fill + i);
        }
        return b;
    }

    private static String hex(ByteBuf b) {
        String s = ByteBufUtil.hexDump(b);
        b.release();
        return s;
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Lets every queued drain and stream-open callback run (they run on the loop, in order). */
    private void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            on(() -> null);
        }
    }

    private final class Connection implements MoqConnection {
        @Override
        public TransportKind kind() {
            return TransportKind.values()[0];
        }

        @Override
        public String protocol() {
            return "moq-lite-04";
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 50000);
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String origin() {
            return null;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void setHandler(ConnectionHandler handler) {
        }

        @Override
        public Future<BidiStream> openBidi() {
            return loop.newFailedFuture(new UnsupportedOperationException());
        }

        @Override
        public Future<SendStream> openUni() {
            RecordingStream s = new RecordingStream(streams.size(), writable);
            streams.add(s);
            return loop.newSucceededFuture(s);
        }

        @Override
        public void close(long code, String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public Future<?> closeFuture() {
            return loop.newPromise();
        }
    }

    /** Keeps each write as hex (and releases it), the FIN and a reset. */
    private static final class RecordingStream implements SendStream {
        final long id;
        final List<String> writes = new ArrayList<>();
        boolean writable;
        boolean finished;
        long resetCode = -1;
        Runnable onWritable = () -> { };

        RecordingStream(long id, boolean writable) {
            this.id = id;
            this.writable = writable;
        }

        @Override
        public void write(ByteBuf data) {
            writes.add(ByteBufUtil.hexDump(data));
            data.release();
        }

        @Override
        public void flush() {
        }

        @Override
        public void writeAndFinish(ByteBuf data) {
            write(data);
            finished = true;
        }

        @Override
        public void finish() {
            finished = true;
        }

        @Override
        public void reset(long code) {
            resetCode = code;
        }

        @Override
        public boolean isWritable() {
            return writable && !finished && resetCode < 0;
        }

        @Override
        public long bytesBeforeUnwritable() {
            return writable ? 1 << 20 : 0;
        }

        @Override
        public void onWritable(Runnable callback) {
            onWritable = callback;
        }

        @Override
        public void setPriority(int urgency) {
        }

        @Override
        public void onClosed(LongConsumer callback) {
        }

        @Override
        public boolean isClosed() {
            return resetCode >= 0;
        }

        @Override
        public long id() {
            return id;
        }
    }
}
