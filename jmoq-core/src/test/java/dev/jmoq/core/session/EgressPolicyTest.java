package dev.jmoq.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackCursor;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.core.session.lite.LiteFraming;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The egress policy, as a specification: where a subscription starts and ends, which group a congested
 * link carries first, when a lagging subscriber's groups are reset, what a lapped one skips, and how a
 * peer short of stream credit is served.
 */
class EgressPolicyTest {
    private static final int IN_FLIGHT = 2;
    private final EventLoop loop = new DefaultEventLoop();
    private final LiteFraming framing = new LiteFraming(LiteVersion.DRAFT_04);
    private final EgressStats stats = new EgressStats();
    private final List<Track> tracks = new ArrayList<>();
    private final List<GroupEgress> egresses = new ArrayList<>();
    private TestLink link;

    @AfterEach
    void tearDown() throws Exception {
        on(() -> {
            for (GroupEgress e : egresses) {
                e.cancel(0);
            }
            for (Track t : tracks) {
                t.close();
            }
            if (link != null) {
                link.releaseAll();
            }
            return null;
        });
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aSubscriptionWithAStartGroupGetsTheCachedGroupsFromThereOn() throws Exception {
        link = new TestLink(loop, 100);
        Track track = track(8);
        on(() -> {
            for (int s = 0; s < 4; s++) {
                oneFrameGroup(track, s, true);
            }
            return null;
        });
        long[] end = {-2};
        GroupEgress e = start(track, 1, TrackCursor.NO_END, code -> end[0] = code);
        settle();
        on(link::deliverAll);
        assertEquals(List.of(1L, 2L, 3L), sorted(link.completed), "groups 1 to 3 from the cache, not 0");
        assertEquals(1, on(e::resolvedStart));
        assertEquals(-2, end[0], "no end group: the subscription goes on");
    }

    @Test
    void aSubscriptionEndsAfterItsEndGroup() throws Exception {
        link = new TestLink(loop, 100);
        Track track = track(8);
        on(() -> {
            for (int s = 0; s < 3; s++) {
                oneFrameGroup(track, s, true);
            }
            return null;
        });
        long[] end = {-2};
        start(track, 1, 2, code -> end[0] = code);
        settle();
        on(link::deliverAll);
        assertEquals(List.of(1L, 2L), sorted(link.completed));
        assertEquals(-1, end[0], "ended cleanly after group 2");
        on(() -> oneFrameGroup(track, 3, true));
        settle();
        on(link::deliverAll);
        assertEquals(List.of(1L, 2L), sorted(link.completed), "nothing after the end group");
    }

    @Test
    void aCongestedLinkCarriesTheNewestGroupFirst() throws Exception {
        link = new TestLink(loop, 100);
        Track track = track(8);
        start(track, TrackCursor.LATEST, TrackCursor.NO_END, code -> { });
        // Steady state: each group arrives in a drain of its own while the link carries nothing.
        for (int s = 0; s < 4; s++) {
            long seq = s;
            on(() -> oneFrameGroup(track, seq, false));
            settle();
        }
        on(link::deliverNext);
        assertEquals(List.of(3L), link.received, "the newest group leaves first");
        on(link::deliverAll);
        assertEquals(List.of(3L, 2L, 1L, 0L), link.received, "then each older one in turn");
    }

    @Test
    void olderStreamsAreDemotedAsNewerOnesOpen() throws Exception {
        link = new TestLink(loop, 100);
        Track track = track(8);
        start(track, TrackCursor.LATEST, TrackCursor.NO_END, code -> { });
        for (int s = 0; s < 3; s++) {
            long seq = s;
            on(() -> oneFrameGroup(track, seq, false));
            settle();
        }
        assertEquals(List.of(3, 2, 1), on(() -> link.streams.stream().map(x -> x.urgency).toList()));
    }

    @Test
    void aSubscriberThatCannotKeepUpHasItsOldestBackloggedGroupsReset() throws Exception {
        link = new TestLink(loop, 100);
        link.writable = false;
        Track track = track(8);
        start(track, TrackCursor.LATEST, TrackCursor.NO_END, code -> { });
        for (int s = 0; s < 5; s++) {
            long seq = s;
            on(() -> oneFrameGroup(track, seq, false));
            settle();
        }
        List<Long> resets = on(() -> link.streams.stream().map(x -> x.resetCode).toList());
        assertEquals(List.of(LiteErrorCode.LAGGED, LiteErrorCode.LAGGED, LiteErrorCode.LAGGED, -1L, -1L), resets,
                "the three oldest of five backlogged groups are reset; " + IN_FLIGHT + " stay");
        assertEquals(3, stats.groupsResetLagging.sum());
    }

    @Test
    void aLappedSubscriberSkipsToWhatTheRingStillHolds() throws Exception {
        link = new TestLink(loop, 100);
        Track track = track(8);
        start(track, TrackCursor.LATEST, TrackCursor.NO_END, code -> { });
        settle(); // the subscription starts on an empty track
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int s = 0; s < 20; s++) {
            oneFrameGroup(track, s, true); // the producer runs on; the subscriber's loop is busy
        }
        release.countDown();
        settle();
        on(link::deliverAll);
        assertEquals(12, stats.groupsSkipped.sum(), "arrivals 0 to 11 were overwritten in the ring of 8");
        assertEquals(List.of(12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L), sorted(link.completed));
    }

    @Test
    void aPeerShortOfStreamCreditStillGetsTheNewestGroupsAndEverythingOnceCreditReturns() throws Exception {
        link = new TestLink(loop, 3);
        int subscriptions = 4;
        List<Track> ts = new ArrayList<>();
        for (int i = 0; i < subscriptions; i++) {
            Track t = track(8);
            ts.add(t);
            start(t, TrackCursor.LATEST, TrackCursor.NO_END, code -> { });
        }
        // The peer reads nothing for 30 groups a track: its 3 streams stay open, every other group waits.
        for (int s = 0; s < 30; s++) {
            long seq = s;
            on(() -> {
                for (Track t : ts) {
                    oneFrameGroup(t, seq, true);
                }
                return null;
            });
            settle();
        }
        int waiting = on(() -> (int) link.waiting.stream().filter(p -> !p.isCancelled()).count());
        assertTrue(waiting <= subscriptions * 4 * IN_FLIGHT, "stream requests are bounded, not one per group: " + waiting);
        // Credit returns (the peer reads): the newest group of every track gets through.
        drainLink();
        assertEquals(subscriptions, link.completed.stream().filter(s -> s == 29L).count(),
                "every track's newest group arrived: " + link.completed);
        // And delivery resumes fully: every later group of every track arrives.
        int before = link.completed.size();
        for (int s = 30; s < 40; s++) {
            long seq = s;
            on(() -> {
                for (Track t : ts) {
                    oneFrameGroup(t, seq, true);
                }
                return null;
            });
            settle();
            on(link::deliverAll);
            settle();
        }
        drainLink();
        assertEquals(before + 10 * subscriptions, link.completed.size(), "no group lost once credit is back");
        assertTrue(link.withdrawn > 0, "requests for dropped groups were withdrawn while they waited");
        int spent = on(() -> (int) link.streams.stream().filter(x -> x.sequence >= 0 || x.resetCode >= 0).count());
        assertTrue(link.streamsOpened - spent <= subscriptions,
                "at most one spare stream per subscription: " + link.streamsOpened + " opened, " + spent + " used");
    }

    private void drainLink() throws Exception {
        for (int round = 0; round < 50 && (on(link::deliverAll) > 0 || round < 3); round++) {
            settle();
        }
    }

    // ---- fixtures ----

    private Track track(int maxGroups) {
        Track t = new Track("t" + tracks.size(), null, new CacheConfig(maxGroups, Duration.ofHours(1), ByteBudget.unlimited()));
        tracks.add(t);
        return t;
    }

    private GroupEgress start(Track track, long startGroup, long endGroup, java.util.function.LongConsumer onEnd)
            throws Exception {
        return on(() -> {
            GroupEgress e = new GroupEgress(link, track, startGroup, endGroup, 9, framing, IN_FLIGHT,
                    LiteErrorCode.LAGGED, stats, onEnd);
            e.start();
            egresses.add(e);
            return e;
        });
    }

    private static Void oneFrameGroup(Track track, long sequence, boolean finish) {
        Group g = track.createGroup(sequence);
        g.append(ByteBufAllocator.DEFAULT.buffer(100).writeZero(100));
        if (finish) {
            g.finish();
        } else {
            g.release(); // the producer lets go; the group stays open for its readers
        }
        return null;
    }

    private static List<Long> sorted(List<Long> l) {
        return l.stream().sorted().toList();
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
}
