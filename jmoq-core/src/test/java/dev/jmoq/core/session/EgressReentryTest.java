package dev.jmoq.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.session.lite.LiteFraming;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport calling back into the egress from inside the egress's own calls: a QUIC connection that
 * dies inside one of a drain's writes closes every stream at once, and the session cancels its
 * subscriptions from that callback. That cancel must not change the drain's groups under its feet: a group
 * let go twice corrupts the cache's reference counts, and the drain that was walking them throws
 * (ConcurrentModificationException, then "released more often than retained" at the next cache sweep).
 */
class EgressReentryTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final LiteFraming framing = new LiteFraming(LiteVersion.DRAFT_04);
    private final EgressStats stats = new EgressStats();
    private final Track track = new Track("t", null, new CacheConfig(16, Duration.ofHours(1), ByteBudget.unlimited()));
    private TestLink link;

    @AfterEach
    void tearDown() throws Exception {
        on(() -> {
            track.close();
            link.releaseAll();
            return null;
        });
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aCancelFromInsideAWriteRunsOnceTheDrainHasEnded() throws Exception {
        link = new TestLink(loop, 100);
        List<Group> groups = openGroups(4);
        GroupEgress egress = egress();
        int[] writes = {0};
        link.onWrite = () -> {
            if (writes[0]++ == 0) {
                egress.cancel(LiteErrorCode.CANCEL); // the connection died in this write
            }
        };
        // The drain itself, so that anything it throws fails the test.
        on(() -> {
            egress.drain();
            return null;
        });
        assertTrue(on(egress::isClosed), "cancelled once the drain ended");
        assertEquals(4, writes[0], "the drain finished its pass over every group first");
        List<Long> resets = on(() -> link.streams.stream().map(s -> s.resetCode).toList());
        assertEquals(List.of(LiteErrorCode.CANCEL, LiteErrorCode.CANCEL, LiteErrorCode.CANCEL, LiteErrorCode.CANCEL), resets);
        for (Group g : groups) {
            assertEquals(1, on(g::refCnt), "group " + g.sequence() + " is held by the cache alone, let go exactly once");
        }
    }

    // ---- fixtures ----

    /** {@code n} groups of one frame each, still open at the publisher (so their streams stay open). */
    private List<Group> openGroups(int n) throws Exception {
        return on(() -> {
            List<Group> out = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                Group g = track.createGroup(s);
                g.append(ByteBufAllocator.DEFAULT.buffer(100).writeZero(100));
                g.release(); // the producer lets go; the cache holds it
                out.add(g);
            }
            return out;
        });
    }

    private GroupEgress egress() throws Exception {
        return on(() -> new GroupEgress(link, track, 0, dev.jmoq.core.model.TrackCursor.NO_END, 9, framing, 1,
                LiteErrorCode.LAGGED, stats, code -> { }));
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }
}
