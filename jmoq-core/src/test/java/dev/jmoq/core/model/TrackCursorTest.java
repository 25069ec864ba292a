package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where a reader of a track starts, what it skips and where it ends: the one cursor egress and client share. */
class TrackCursorTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Track track = new Track("t", null,
            new CacheConfig(8, Duration.ofSeconds(5), ByteBudget.unlimited(), 0, clock::get));

    @AfterEach
    void tearDown() {
        track.close();
        track.clear();
    }

    @Test
    void startsAtTheNewestGroupAndFollowsNewerOnes() {
        groups(0, 3);
        TrackCursor c = new TrackCursor(track);
        assertEquals(List.of(2L), take(c));
        assertEquals(2, c.resolvedStart());
        groups(3, 5);
        assertEquals(List.of(3L, 4L), take(c));
    }

    @Test
    void startsAtAGroupStillInTheCache() {
        groups(0, 6);
        TrackCursor c = new TrackCursor(track, 3, TrackCursor.NO_END);
        assertEquals(List.of(3L, 4L, 5L), take(c));
        assertEquals(0, c.takeSkipped(), "groups below the start were never asked for");
    }

    @Test
    void waitsForAStartGroupNotYetReceivedAndStopsAfterTheEndGroup() {
        groups(0, 2);
        TrackCursor c = new TrackCursor(track, 4, 5);
        assertEquals(List.of(), take(c));
        groups(2, 8);
        assertEquals(List.of(4L, 5L), take(c));
        assertTrue(c.reachedEnd());
        assertTrue(c.exhausted());
        groups(8, 9);
        assertNull(c.next());
    }

    @Test
    void narrowingRaisesTheStartAndLowersTheEndButNeverWidens() {
        groups(0, 2);
        TrackCursor c = new TrackCursor(track, 0, TrackCursor.NO_END);
        assertEquals(List.of(0L, 1L), take(c));
        c.narrow(4, 6);
        c.narrow(0, 9); // wider: ignored
        groups(2, 9);
        assertEquals(List.of(4L, 5L, 6L), take(c));
        assertTrue(c.reachedEnd());
    }

    @Test
    void narrowingTheEndBelowWhatWasTakenEndsAtOnce() {
        groups(0, 4);
        TrackCursor c = new TrackCursor(track, 0, TrackCursor.NO_END);
        assertEquals(List.of(0L, 1L, 2L, 3L), take(c));
        assertFalse(c.reachedEnd());
        c.narrow(0, 2);
        assertTrue(c.reachedEnd());
        assertTrue(c.exhausted());
    }

    @Test
    void narrowingBeforeTheFirstReadAppliesToTheResolvedStart() {
        groups(0, 5);
        TrackCursor c = new TrackCursor(track, 1, TrackCursor.NO_END);
        c.narrow(3, 3);
        assertEquals(List.of(3L), take(c));
        assertTrue(c.reachedEnd());
    }

    @Test
    void anEndBelowTheStartIsAnEmptyRange() {
        groups(0, 3);
        TrackCursor c = new TrackCursor(track, 2, 1);
        assertNull(c.next());
        assertTrue(c.exhausted());
    }

    @Test
    void aLappedCursorSkipsForwardAndCountsWhatItMissed() {
        groups(0, 1);
        TrackCursor c = new TrackCursor(track);
        assertEquals(List.of(0L), take(c));
        groups(1, 21); // 20 arrivals into a ring of 8: arrivals 1 to 12 are overwritten
        assertEquals(List.of(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L), take(c));
        assertEquals(12, c.takeSkipped());
        assertEquals(0, c.takeSkipped(), "the count resets once read");
    }

    @Test
    void aGroupTheCacheEvictedIsSkipped() {
        groups(0, 1);
        TrackCursor c = new TrackCursor(track, 0, TrackCursor.NO_END);
        assertEquals(List.of(0L), take(c));
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        Group late = track.createGroup(1);
        late.finish();
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        track.createGroup(2).finish(); // ages group 1 out before the cursor reads it
        assertTrue(late.isEvicted());
        assertEquals(List.of(2L), take(c));
        assertEquals(1, c.takeSkipped());
    }

    @Test
    void aWrittenOnceTrackReachesAReaderThatJoinsMinutesLater() {
        Group catalog = track.createGroup(0);
        catalog.append(ByteBufAllocator.DEFAULT.buffer(4).writeInt(42));
        catalog.finish();
        clock.addAndGet(Duration.ofMinutes(10).toNanos());
        track.sweep(); // the age sweep runs, as the relay's does every second
        assertEquals(1, track.cachedGroups(), "the newest group is kept past the cache's age");
        TrackCursor late = new TrackCursor(track);
        Group g = late.next();
        assertEquals(0, g.sequence());
        assertEquals(42, g.frame(0).getInt(0));
        g.release();
    }

    @Test
    void everyGroupTakenIsRetainedForTheReader() {
        groups(0, 1);
        TrackCursor c = new TrackCursor(track);
        Group g = c.next();
        track.clear(); // evicted under the reader: its reference keeps the frames
        assertEquals(1, g.refCnt());
        assertEquals(3, g.frame(0).readableBytes());
        g.release();
    }

    private void groups(long from, long to) {
        for (long s = from; s < to; s++) {
            Group g = track.createGroup(s);
            g.append(ByteBufAllocator.DEFAULT.buffer(3).writeZero(3));
            g.finish();
        }
    }

    private static List<Long> take(TrackCursor c) {
        List<Long> out = new ArrayList<>();
        Group g;
        while ((g = c.next()) != null) {
            out.add(g.sequence());
            g.release();
        }
        return out;
    }
}
