package dev.jmoq.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The group cache of a {@link Track}: two rings bounded by count, age and a shared byte budget. */
class GroupCacheTest {

    @Test
    void anEmptyTrackHasNothingCached() {
        Track t = new Track("v", null, Frames.cache(8));
        assertEquals(0, t.arrivals());
        assertEquals(-1, t.newestSequence());
        assertNull(t.latest());
        assertEquals(-1, t.earliestSequence());
        assertEquals(0, t.cachedGroups());
        assertEquals(0, t.cachedBytes());
        assertNull(t.atArrival(0));
        assertNull(t.bySequence(0));
        assertEquals(0, t.oldestArrival());
    }

    @Test
    void negativeIndexesFindNothingAndNegativeSequencesAreRejected() {
        Track t = new Track("v", null, Frames.cache(8));
        Frames.publish(t, 0, 1, 12);
        assertNull(t.atArrival(-1));
        assertNull(t.bySequence(-1));
        assertThrows(IllegalArgumentException.class, () -> t.createGroup(-1));
        t.clear();
    }

    @ParameterizedTest
    @CsvSource({"1,1", "2,2", "3,4", "4,4", "5,8", "8,8", "9,16", "64,64", "100,128", "512,512", "4096,4096", "65536,65536"})
    void ringSizeIsThePowerOfTwoAtOrAboveMaxGroups(int maxGroups, int ring) {
        assertEquals(ring, new Track("v", null, Frames.cache(maxGroups)).ringSize());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, CacheConfig.MAX_RING + 1})
    void configurationRejectsRingSizesOutOfRange(int maxGroups) {
        assertThrows(IllegalArgumentException.class, () -> Frames.cache(maxGroups));
    }

    @Test
    void configurationRejectsNonPositiveAgeAndBudget() {
        assertThrows(IllegalArgumentException.class, () -> new CacheConfig(8, Duration.ZERO, ByteBudget.unlimited()));
        assertThrows(IllegalArgumentException.class, () -> new CacheConfig(8, Duration.ofSeconds(-1), ByteBudget.unlimited()));
        assertThrows(IllegalArgumentException.class, () -> new ByteBudget(0));
        CacheConfig d = CacheConfig.defaults();
        assertEquals(CacheConfig.DEFAULT_MAX_GROUPS, d.maxGroups());
        assertEquals(CacheConfig.DEFAULT_MAX_AGE, d.maxAge());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 64, 512})
    void appendedGroupsAreFoundBySequenceAndArrival(int maxGroups) {
        Track t = new Track("v", null, Frames.cache(maxGroups));
        for (int s = 0; s < maxGroups; s++) {
            Group g = Frames.publish(t, s, 2, 12);
            assertSame(g, t.bySequence(s));
            assertSame(g, t.atArrival(s));
            assertSame(g, t.latest());
            assertEquals(s, g.arrival());
        }
        assertEquals(maxGroups, t.cachedGroups());
        assertEquals(0, t.earliestSequence());
        assertEquals(maxGroups - 1, t.newestSequence());
        t.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 64, 100, 512})
    void theWindowKeepsExactlyTheNewestMaxGroupsAcrossManyWrapArounds(int maxGroups) {
        Track t = new Track("v", null, Frames.cache(maxGroups));
        int total = Math.max(10 * t.ringSize(), 50);
        List<Group> all = new ArrayList<>();
        for (int s = 0; s < total; s++) {
            all.add(Frames.publish(t, s, 1, 12));
            assertEquals(Math.min(s + 1, maxGroups), t.cachedGroups(), "cached after " + s);
            assertEquals(Math.max(0, s - maxGroups + 1), t.earliestSequence());
            assertNull(t.bySequence(s - maxGroups));
            assertNotNull(t.bySequence(s));
        }
        for (int s = 0; s < total - maxGroups; s++) {
            assertTrue(all.get(s).isEvicted());
            assertEquals(0, all.get(s).refCnt(), "evicted, finished, unread group is freed");
        }
        for (int s = total - maxGroups; s < total; s++) {
            assertFalse(all.get(s).isEvicted());
            assertEquals(1, all.get(s).refCnt(), "only the cache holds it");
        }
        assertEquals(total - maxGroups, t.stats().groupsEvicted.sum());
        t.clear();
        for (Group g : all) {
            assertEquals(0, g.refCnt());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 64})
    void theArrivalRingIsLappedAfterRingSizeArrivals(int maxGroups) {
        Track t = new Track("v", null, Frames.cache(maxGroups));
        int ring = t.ringSize();
        for (int s = 0; s < 3 * ring; s++) {
            Frames.publish(t, s, 1, 12);
        }
        assertEquals(3 * ring, t.arrivals());
        assertEquals(2 * ring, t.oldestArrival());
        assertNull(t.atArrival(2 * ring - 1), "lapped");
        for (long a = 2 * ring; a < 3 * ring; a++) {
            assertEquals(a, t.atArrival(a).arrival());
        }
        assertNull(t.atArrival(3 * ring), "not yet reached");
        t.clear();
    }

    @Test
    void theNewestGroupIsAlwaysKeptWithARingOfOne() {
        Track t = new Track("v", null, Frames.cache(1));
        Group a = Frames.publish(t, 0, 1, 12);
        Group b = Frames.publish(t, 1, 1, 12);
        assertTrue(a.isEvicted());
        assertSame(b, t.latest());
        assertEquals(1, t.cachedGroups());
        t.clear();
    }

    @Test
    void groupsMayArriveOutOfOrderWithinTheWindow() {
        Track t = new Track("v", null, Frames.cache(8));
        Frames.publish(t, 5, 1, 12);
        Group late = Frames.publish(t, 3, 1, 12);
        Frames.publish(t, 4, 1, 12);
        assertNotNull(late);
        assertEquals(5, t.newestSequence(), "an older group does not move the newest");
        assertEquals(3, t.earliestSequence());
        assertEquals(5, t.atArrival(0).sequence());
        assertEquals(3, t.atArrival(1).sequence());
        assertEquals(4, t.atArrival(2).sequence());
        assertSame(late, t.bySequence(3));
        assertEquals(5, t.latest().sequence());
        t.clear();
    }

    @Test
    void aDuplicateSequenceIsRefused() {
        Track t = new Track("v", null, Frames.cache(8));
        Group g = Frames.publish(t, 7, 1, 12);
        assertNull(t.createGroup(7));
        assertEquals(Track.Refusal.DUPLICATE, t.lastRefusal());
        assertSame(g, t.bySequence(7));
        assertEquals(1, t.stats().groupsRefused.sum());
        assertEquals(1, t.arrivals(), "a refused group does not arrive");
        t.clear();
    }

    @ParameterizedTest
    @CsvSource({"1,10,9", "8,10,2", "8,10,0", "64,1000,936"})
    void aGroupBelowTheWindowIsRefusedAsTooOld(int maxGroups, long newest, long old) {
        Track t = new Track("v", null, Frames.cache(maxGroups));
        Frames.publish(t, newest, 1, 12);
        assertNull(t.createGroup(old));
        assertEquals(Track.Refusal.TOO_OLD, t.lastRefusal());
        Group edge = t.createGroup(newest - maxGroups + 1);
        if (maxGroups > 1) {
            assertNotNull(edge, "the oldest sequence of the window is still accepted");
            edge.finish();
        } else {
            assertNull(edge);
        }
        t.clear();
    }

    @Test
    void aClosedTrackRefusesNewGroupsAndFreesItsCacheWhenNobodyReads() {
        Track t = new Track("v", null, Frames.cache(8));
        Frames.publish(t, 0, 1, 12);
        t.close();
        assertNull(t.createGroup(1));
        assertEquals(Track.Refusal.CLOSED, t.lastRefusal());
        assertNull(t.bySequence(0));
        assertTrue(t.isClosed());
        assertEquals(-1, t.closeCode());
        t.clear();
    }

    @Test
    void abortRecordsTheCodeOnceAndLaterEndsAreIgnored() {
        Track t = new Track("v", null, Frames.cache(8));
        t.abort(7);
        t.abort(9);
        t.close();
        assertEquals(7, t.closeCode());
    }

    @Test
    void aJumpFarAheadEvictsEverythingOlderWithoutWalkingTheGap() {
        Track t = new Track("v", null, Frames.cache(8));
        Group a = Frames.publish(t, 0, 1, 12);
        Group b = Frames.publish(t, 3, 1, 12);
        Group c = Frames.publish(t, 1L << 50, 1, 12);
        assertTrue(a.isEvicted());
        assertTrue(b.isEvicted());
        assertSame(c, t.latest());
        assertEquals(1, t.cachedGroups());
        assertEquals(1L << 50, t.earliestSequence());
        assertNull(t.createGroup(3));
        t.clear();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1L << 31, (1L << 32) + 5, 1L << 62, Long.MAX_VALUE - 100})
    void largeSequenceNumbersMapToTheirOwnSlots(long base) {
        Track t = new Track("v", null, Frames.cache(8));
        for (long s = base; s < base + 20; s++) {
            Frames.publish(t, s, 1, 12);
        }
        assertEquals(base + 19, t.newestSequence());
        assertEquals(base + 12, t.earliestSequence());
        for (long s = base + 12; s < base + 20; s++) {
            assertEquals(s, t.bySequence(s).sequence());
        }
        assertNull(t.bySequence(base + 11));
        t.clear();
    }

    @Test
    void gapsInSequencesAreNotCached() {
        Track t = new Track("v", null, Frames.cache(8));
        Frames.publish(t, 0, 1, 12);
        Frames.publish(t, 2, 1, 12);
        Frames.publish(t, 6, 1, 12);
        assertEquals(3, t.cachedGroups());
        assertNull(t.bySequence(1));
        assertEquals(0, t.earliestSequence());
        Frames.publish(t, 9, 1, 12); // window 2..9
        assertNull(t.bySequence(0));
        assertEquals(2, t.earliestSequence());
        t.clear();
    }

    @Test
    void groupsOlderThanMaxAgeAreEvictedOnTheNextCreation() {
        Track t = new Track("v", null, new CacheConfig(64, Duration.ofSeconds(1), ByteBudget.unlimited()));
        long t0 = 1_000_000_000L;
        Group a = t.createGroup(0, t0);
        Group b = t.createGroup(1, t0 + 500_000_000L);
        Group c = t.createGroup(2, t0 + 1_200_000_000L);
        assertTrue(a.isEvicted(), "1.2 s old");
        assertFalse(b.isEvicted(), "0.7 s old");
        assertEquals(1, t.earliestSequence());
        for (Group g : List.of(a, b, c)) {
            g.finish();
        }
        t.clear();
    }

    @Test
    void aSweepEvictsAgedGroupsButNeverTheNewest() {
        Track t = new Track("v", null, new CacheConfig(64, Duration.ofSeconds(1), ByteBudget.unlimited()));
        long t0 = 5_000_000_000L;
        for (int s = 0; s < 5; s++) {
            t.createGroup(s, t0 + s).finish();
        }
        t.sweep(t0 + 10_000_000_000L);
        assertEquals(1, t.cachedGroups());
        assertEquals(4, t.latest().sequence());
        assertEquals(4, t.stats().groupsEvicted.sum());
        t.clear();
    }

    @Test
    void theByteBudgetEvictsTheAppendersOldestGroups() {
        ByteBudget budget = new ByteBudget(1000);
        Track t = new Track("v", null, Frames.cache(64, budget));
        Group a = Frames.publish(t, 0, 1, 400);
        Group b = Frames.publish(t, 1, 1, 400);
        assertEquals(800, budget.used());
        Group c = Frames.publish(t, 2, 1, 400);
        assertTrue(a.isEvicted());
        assertFalse(b.isEvicted());
        assertEquals(800, budget.used());
        assertEquals(1, t.stats().groupsEvictedForBudget.sum());
        assertFalse(budget.exceeded());
        assertSame(c, t.latest());
        t.clear();
        assertEquals(0, budget.used());
    }

    @Test
    void theNewestGroupIsKeptEvenWhenItAloneExceedsTheBudget() {
        ByteBudget budget = new ByteBudget(100);
        Track t = new Track("v", null, Frames.cache(64, budget));
        Group a = Frames.publish(t, 0, 1, 50);
        Group b = Frames.publish(t, 1, 3, 100);
        assertTrue(a.isEvicted());
        assertFalse(b.isEvicted());
        assertEquals(300, budget.used());
        assertTrue(budget.exceeded());
        t.clear();
        assertEquals(0, budget.used());
    }

    @Test
    void theAppenderPaysOnlyWithItsOwnGroups() {
        ByteBudget budget = new ByteBudget(1000);
        Track idle = new Track("a", null, Frames.cache(64, budget));
        Track busy = new Track("b", null, Frames.cache(64, budget));
        Group held = Frames.publish(idle, 0, 2, 400);
        Group b0 = Frames.publish(busy, 0, 1, 300);
        assertFalse(b0.isEvicted(), "the newest is kept");
        Group b1 = Frames.publish(busy, 1, 1, 300);
        assertTrue(b0.isEvicted());
        assertFalse(b1.isEvicted());
        assertFalse(held.isEvicted(), "another track's groups are not touched");
        assertEquals(1100, budget.used());
        idle.clear();
        busy.clear();
        assertEquals(0, budget.used());
    }

    @Test
    void budgetUsageEqualsTheBytesOfCachedGroups() {
        ByteBudget budget = ByteBudget.unlimited();
        Track t = new Track("v", null, Frames.cache(4, budget));
        for (int s = 0; s < 10; s++) {
            Frames.publish(t, s, s + 1, 100);
            assertEquals(t.cachedBytes(), budget.used());
        }
        assertEquals((7 + 8 + 9 + 10) * 100, budget.used());
        t.clear();
        assertEquals(0, budget.used());
        assertEquals(0, t.cachedBytes());
    }

    @Test
    void bytesAppendedToAnEvictedGroupAreNotCharged() {
        ByteBudget budget = ByteBudget.unlimited();
        Track t = new Track("v", null, Frames.cache(1, budget));
        Group open = t.createGroup(0);
        open.append(Frames.frame(0, 0));
        Frames.publish(t, 1, 1, 12);
        assertTrue(open.isEvicted());
        assertEquals(12, budget.used());
        assertTrue(open.append(Frames.frame(0, 1)), "the producer may keep writing an evicted group");
        assertEquals(12, budget.used());
        assertEquals(0, open.cachedBytes());
        assertEquals(2, open.frameCount());
        open.finish();
        assertEquals(0, open.refCnt());
        t.clear();
    }

    @Test
    void clearFreesEveryCachedGroupAndForgetsArrivals() {
        Track t = new Track("v", null, Frames.cache(8));
        List<Group> gs = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            gs.add(Frames.publish(t, s, 3, 12));
        }
        t.clear();
        assertEquals(0, t.cachedGroups());
        assertNull(t.atArrival(4));
        assertNull(t.latest());
        for (Group g : gs) {
            assertEquals(0, g.refCnt());
        }
        assertNotNull(Frames.publish(t, 5, 1, 12), "the track still accepts newer groups");
        t.clear();
    }

    @Test
    void statsCountGroupsFramesAndBytes() {
        Track t = new Track("v", null, Frames.cache(2));
        for (int s = 0; s < 4; s++) {
            Frames.publish(t, s, 3, 20);
        }
        t.createGroup(0);
        assertEquals(4, t.stats().groupsIn.sum());
        assertEquals(12, t.stats().framesIn.sum());
        assertEquals(240, t.stats().bytesIn.sum());
        assertEquals(2, t.stats().groupsEvicted.sum());
        assertEquals(1, t.stats().groupsRefused.sum());
        t.clear();
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 64, 512})
    void concurrentReadersAlwaysSeeConsistentGroupsWhileTheWriterWraps(int maxGroups) throws Exception {
        Track t = new Track("v", null, Frames.cache(maxGroups));
        int total = 20 * maxGroups;
        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!stop.get()) {
                    long top = t.newestSequence();
                    if (top < 0) {
                        continue;
                    }
                    long s = Math.max(0, top - rnd.nextInt(maxGroups + 4));
                    Group g = rnd.nextBoolean() ? t.bySequence(s) : t.atArrival(s);
                    if (g == null || !g.tryRetain()) {
                        continue;
                    }
                    try {
                        if (g.sequence() != s) {
                            errors.add("asked " + s + " got " + g.sequence());
                        }
                        int n = g.frameCount();
                        for (int i = 0; i < n; i++) {
                            if (Frames.sequenceOf(g.frame(i)) != s || Frames.indexOf(g.frame(i)) != i) {
                                errors.add("bad frame " + s + "/" + i);
                            }
                        }
                        reads.incrementAndGet();
                    } finally {
                        g.release();
                    }
                }
            }));
        }
        List<Group> all = new ArrayList<>();
        for (int s = 0; s < total; s++) {
            all.add(Frames.publish(t, s, 2, 12));
        }
        stop.set(true);
        for (Thread r : readers) {
            r.join(30_000);
        }
        assertTrue(errors.isEmpty(), errors::toString);
        for (int s = 0; s < total - maxGroups; s++) {
            assertEquals(0, all.get(s).refCnt(), "group " + s);
        }
        t.clear();
    }

    @Test
    void concurrentCreatorsOfDistinctSequencesLeaveAConsistentWindow() throws Exception {
        int maxGroups = 16;
        int threads = 4;
        int perThread = 500;
        ByteBudget budget = ByteBudget.unlimited();
        Track t = new Track("v", null, Frames.cache(maxGroups, budget));
        Queue<Group> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ws = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int first = w;
            ws.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < perThread; k++) {
                    long s = first + (long) k * threads;
                    Group g = t.createGroup(s);
                    if (g == null) {
                        refused.incrementAndGet();
                        continue;
                    }
                    g.append(Frames.frame(s, 0));
                    g.finish();
                    accepted.add(g);
                }
            }));
        }
        start.countDown();
        for (Thread w : ws) {
            w.join(30_000);
        }
        long newest = t.newestSequence();
        assertEquals(threads * perThread - 1, newest);
        assertEquals(threads * perThread, accepted.size() + refused.get());
        long cachedBytes = 0;
        for (Group g : accepted) {
            boolean inWindow = g.sequence() > newest - maxGroups;
            if (!g.isEvicted()) {
                assertTrue(inWindow, "cached " + g.sequence() + " outside window below " + newest);
                assertSame(g, t.bySequence(g.sequence()));
                assertEquals(1, g.refCnt());
                cachedBytes += 12;
            } else {
                assertEquals(0, g.refCnt());
            }
        }
        assertEquals(cachedBytes, budget.used());
        assertEquals(t.cachedBytes(), budget.used());
        t.clear();
        assertEquals(0, budget.used());
    }

    @Test
    void aReaderHoldingAnEvictedGroupKeepsItsFramesReadable() throws Exception {
        Track t = new Track("v", null, Frames.cache(2));
        Group g = Frames.publish(t, 0, 4, 12);
        assertTrue(g.tryRetain());
        CountDownLatch read = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                read.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
        });
        for (int s = 1; s < 10; s++) {
            Frames.publish(t, s, 1, 12);
        }
        assertTrue(g.isEvicted());
        assertEquals(1, g.refCnt());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, Frames.indexOf(g.frame(i)));
            assertEquals(1, g.frame(i).refCnt());
        }
        read.countDown();
        reader.join();
        g.release();
        assertEquals(0, g.refCnt());
        assertFalse(g.tryRetain());
        t.clear();
    }
}
