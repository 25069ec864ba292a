package dev.jmoq.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jmoq.core.model.ByteBudget;
import dev.jmoq.core.model.CacheConfig;
import dev.jmoq.core.model.Group;
import dev.jmoq.core.model.GroupOrder;
import dev.jmoq.core.model.Track;
import dev.jmoq.core.model.TrackCursor;
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
 * Subscription priority and group order, as a specification: over a link that carries one stream's data
 * at a time, most urgent first (as quiche does), the session's subscriptions go in subscriber-priority
 * order, each subscription's groups in its group order, and an update re-ranks streams already open.
 */
class PriorityOrderTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final LiteFraming framing = new LiteFraming(LiteVersion.DRAFT_04);
    private final StreamRanking ranking = new StreamRanking();
    private final List<Track> tracks = new ArrayList<>();
    private final List<GroupEgress> egresses = new ArrayList<>();
    private final TestLink link = new TestLink(loop, 100);

    @AfterEach
    void tearDown() throws Exception {
        on(() -> {
            for (GroupEgress e : egresses) {
                e.cancel(0);
            }
            for (Track t : tracks) {
                t.close();
            }
            link.releaseAll();
            return null;
        });
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void theMoreUrgentSubscriptionOfASessionIsCarriedFirst() throws Exception {
        Track audio = track();
        Track video = track();
        start(video, 200, GroupOrder.DESCENDING);
        start(audio, 10, GroupOrder.DESCENDING);
        // Interleaved arrivals: video's groups are 10..12, audio's 0..2, each in a drain of its own.
        for (int i = 0; i < 3; i++) {
            group(video, 10 + i);
            group(audio, i);
        }
        on(link::deliverAll);
        assertEquals(List.of(2L, 1L, 0L, 12L, 11L, 10L), link.received,
                "every audio group (priority 10) before any video group (200), newest first within each");
        List<Integer> urgencies = on(() -> link.streams.stream().map(s -> s.urgency).toList());
        // Streams in open order: video 10, audio 0, video 11, audio 1, video 12, audio 2. Two classes: audio's
        // band is 1..3, video's 4..7.
        assertEquals(List.of(6, 3, 5, 2, 4, 1), urgencies);
    }

    @Test
    void ascendingOrderCarriesTheOldestGroupFirst() throws Exception {
        Track t = track();
        start(t, 128, GroupOrder.ASCENDING);
        for (int s = 0; s < 4; s++) {
            group(t, s);
        }
        on(link::deliverNext);
        assertEquals(List.of(0L), link.received, "the oldest open group leaves first");
        on(link::deliverAll);
        assertEquals(List.of(0L, 1L, 2L, 3L), link.received);
        assertEquals(List.of(1, 2, 3, 4), on(() -> link.streams.stream().map(s -> s.urgency).toList()),
                "urgency by age: the oldest most urgent");
    }

    @Test
    void descendingOrderCarriesTheNewestGroupFirst() throws Exception {
        Track t = track();
        start(t, 128, GroupOrder.PUBLISHER); // left to the publisher: the relay's descending
        for (int s = 0; s < 4; s++) {
            group(t, s);
        }
        on(link::deliverAll);
        assertEquals(List.of(3L, 2L, 1L, 0L), link.received);
    }

    @Test
    void anUpdateReRanksTheStreamsAlreadyOpen() throws Exception {
        Track a = track();
        Track b = track();
        GroupEgress ea = start(a, 200, GroupOrder.DESCENDING);
        start(b, 100, GroupOrder.DESCENDING);
        group(a, 0);
        group(b, 10);
        assertEquals(List.of(4, 1), on(() -> link.streams.stream().map(s -> s.urgency).toList()),
                "b (100) ahead of a (200)");
        on(() -> {
            ea.subscriberPriority(0);
            return null;
        });
        assertEquals(List.of(1, 4), on(() -> link.streams.stream().map(s -> s.urgency).toList()),
                "a (now 0) ahead of b, on the streams already open");
        on(link::deliverAll);
        assertEquals(List.of(0L, 10L), link.received);
    }

    @Test
    void aGroupOfMoreUrgentPublisherPriorityGoesFirstWithinASubscription() throws Exception {
        Track t = track();
        start(t, 128, GroupOrder.DESCENDING);
        on(() -> {
            Group g = t.createGroup(0);
            g.publisherPriority(5); // the publisher marked this group urgent
            g.append(ByteBufAllocator.DEFAULT.buffer(100).writeZero(100));
            g.release();
            return null;
        });
        settle();
        group(t, 1);
        on(link::deliverAll);
        assertEquals(List.of(0L, 1L), link.received, "publisher priority before group order");
    }

    @Test
    void theOrderChangesWhichGroupIsPreferredNotTheLaggingBound() throws Exception {
        link.writable = false;
        Track t = track();
        start(t, 128, GroupOrder.ASCENDING);
        for (int s = 0; s < 5; s++) {
            group(t, s);
        }
        List<Long> resets = on(() -> link.streams.stream().map(x -> x.resetCode).toList());
        assertEquals(List.of(LiteErrorCode.LAGGED, LiteErrorCode.LAGGED, LiteErrorCode.LAGGED, -1L, -1L), resets,
                "ascending order still gives up the oldest groups beyond groupsInFlight");
    }

    @Test
    void bandsSplitTheUrgenciesAmongTheSessionsClasses() {
        StreamRanking r = new StreamRanking();
        StreamRanking.Member only = r.join(128, GroupOrder.DESCENDING, null);
        assertEquals(1, only.urgency(0));
        assertEquals(7, only.urgency(9), "one class: the whole 1..7 range");
        StreamRanking.Member urgent = r.join(0, GroupOrder.DESCENDING, null);
        assertEquals(1, urgent.urgency(0));
        assertEquals(3, urgent.urgency(5));
        assertEquals(4, only.urgency(0));
        assertEquals(7, only.urgency(5));
        List<StreamRanking.Member> many = new ArrayList<>();
        for (int p = 1; p <= 10; p++) {
            many.add(r.join(p, GroupOrder.DESCENDING, null));
        }
        for (StreamRanking.Member m : many) {
            int u = m.urgency(0);
            assertTrue(u >= urgent.urgency(0) && u <= only.urgency(0), "more classes than levels: shared levels, order kept");
        }
        StreamRanking.Member mover = many.get(9); // priority 10
        int[] moved = {0};
        StreamRanking.Member watched = r.join(10, GroupOrder.DESCENDING, () -> moved[0]++);
        watched.subscriberPriority(0); // into the existing class of `urgent`: the class set is unchanged
        assertEquals(urgent.urgency(0), watched.urgency(0), "a member moving into an existing class takes its band");
        assertTrue(moved[0] > 0, "and re-ranks its streams");
        watched.leave();
        assertTrue(mover.urgency(0) > urgent.urgency(0));
        many.forEach(StreamRanking.Member::leave);
        urgent.leave();
        assertEquals(1, only.urgency(0), "the last member gets the whole range back");
        assertEquals(1, r.size());
    }

    /**
     * Bands after any sequence of joins, leaves and priority changes (some into existing classes, which
     * re-band only the member that moved) equal those of a ranking built afresh with the same classes.
     */
    @Test
    void bandsAfterUpdatesEqualBandsComputedAfresh() {
        java.util.Random random = new java.util.Random(7);
        StreamRanking r = new StreamRanking();
        List<StreamRanking.Member> live = new ArrayList<>();
        List<Integer> publisher = new ArrayList<>(); // each live member's publisher priority
        for (int step = 0; step < 2000; step++) {
            int op = random.nextInt(4);
            if (op == 0 || live.isEmpty()) {
                live.add(r.join(random.nextInt(12), GroupOrder.DESCENDING, null));
                publisher.add(dev.jmoq.core.model.Group.DEFAULT_PUBLISHER_PRIORITY);
            } else if (op == 1) {
                int i = random.nextInt(live.size());
                publisher.remove(i);
                live.remove(i).leave();
            } else if (op == 2) {
                live.get(random.nextInt(live.size())).subscriberPriority(random.nextInt(12));
            } else {
                int i = random.nextInt(live.size());
                publisher.set(i, random.nextInt(3));
                live.get(i).publisherPriority(publisher.get(i));
            }
            StreamRanking fresh = new StreamRanking();
            List<StreamRanking.Member> copies = new ArrayList<>();
            for (int i = 0; i < live.size(); i++) {
                StreamRanking.Member c = fresh.join(live.get(i).subscriberPriority(), GroupOrder.DESCENDING, null);
                c.publisherPriority(publisher.get(i));
                copies.add(c);
            }
            for (int i = 0; i < live.size(); i++) {
                assertEquals(copies.get(i).urgency(0), live.get(i).urgency(0), "first urgency at step " + step);
                assertEquals(copies.get(i).urgency(9), live.get(i).urgency(9), "last urgency at step " + step);
            }
        }
    }

    /**
     * A subscription cancelled before it started (its request stream was already closed when the session
     * registered the close callback: QuicStream.onClosed runs it at once) stays ended when start() follows:
     * it neither joins the session's ranking nor subscribes to the track, which would hold the track (and a
     * relayed track's upstream subscription) forever and keep a dead class in every band computation.
     */
    @Test
    void aSubscriptionCancelledBeforeItsStartNeverJoinsTheRankingNorTheTrack() throws Exception {
        Track track = track();
        on(() -> {
            GroupEgress e = new GroupEgress(link, track, TrackCursor.LATEST, TrackCursor.NO_END, 9, framing, 2,
                    LiteErrorCode.LAGGED, new EgressStats(), code -> { });
            e.priority(ranking, 10, GroupOrder.DESCENDING);
            e.cancel(LiteErrorCode.CANCEL);
            e.start();
            return null;
        });
        settle();
        assertEquals(0, on(ranking::size), "members of the session's ranking");
        assertEquals(0, on(track::subscriberCount), "subscribers of the track");
    }

    // ---- fixtures ----

    private Track track() {
        Track t = new Track("t" + tracks.size(), null, new CacheConfig(8, Duration.ofHours(1), ByteBudget.unlimited()));
        tracks.add(t);
        return t;
    }

    private GroupEgress start(Track track, int priority, GroupOrder order) throws Exception {
        return on(() -> {
            GroupEgress e = new GroupEgress(link, track, TrackCursor.LATEST, TrackCursor.NO_END, 9, framing, 2,
                    LiteErrorCode.LAGGED, new EgressStats(), code -> { });
            e.priority(ranking, priority, order);
            e.start();
            egresses.add(e);
            return e;
        });
    }

    /** An open one-frame group, in a drain of its own (the steady state of a live track). */
    private void group(Track track, long sequence) throws Exception {
        on(() -> {
            Group g = track.createGroup(sequence);
            g.append(ByteBufAllocator.DEFAULT.buffer(100).writeZero(100));
            g.release(); // the producer lets go; the group stays open for its readers
            return null;
        });
        settle();
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            on(() -> null);
        }
    }
}
